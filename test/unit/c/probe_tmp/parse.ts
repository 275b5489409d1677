import { readFileSync } from 'node:fs';
import { loadCppLanguage, createCppParser } from '../../../../engine/c/treeSitter';
async function main() {
  await loadCppLanguage();
  const p = createCppParser();
  const t = p.parse(readFileSync(process.argv[2], 'utf8'))!;
  console.log(t.rootNode.toString());
}
void main();
