import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { docLinks, REPOSITORY_DOCS_URL } from '../../../extension/server/docLinks';

const root = join('/', 'opt', 'ext dir');
const rootUrl = pathToFileURL(root).href;

test('the client-given extension folder wins and is used as given', () => {
  const links = docLinks({ extensionRoot: root, bundleDir: '/elsewhere/dist', exists: () => false });
  assert.equal(links.rule('wi-bad-queue-type'), `${rootUrl}/docs/rules/wi-bad-queue-type.md`);
  assert.ok(links.rule('cpp-irql').startsWith('file:///opt/ext%20dir/'));
  // Runtime rules are not in the vsix: the web page unless the file is there.
  assert.equal(links.runtimeRules, `${REPOSITORY_DOCS_URL}docs/runtime-rules.md`);
  assert.equal(docLinks({ extensionRoot: root, exists: () => true }).runtimeRules, `${rootUrl}/docs/runtime-rules.md`);
});

test('the folder above the bundle is used when it holds docs/rules', () => {
  const seen: string[] = [];
  const links = docLinks({ bundleDir: join(root, 'dist'), exists: (p) => { seen.push(p); return p === join(root, 'docs', 'rules'); } });
  assert.equal(links.rule('name-info'), `${rootUrl}/docs/rules/name-info.md`);
  assert.ok(seen.includes(join(root, 'docs', 'rules')));
});

test('with no installed copy the links go to the repository', () => {
  const links = docLinks({ bundleDir: join(root, 'dist'), exists: () => false });
  assert.equal(links.rule('name-info'), `${REPOSITORY_DOCS_URL}docs/rules/name-info.md`);
  assert.equal(docLinks({}).rule('x'), `${REPOSITORY_DOCS_URL}docs/rules/x.md`);
});
