/**
 * The texts a debug session compiled: a restart runs that build again, so a scenario or driver
 * edited meanwhile would otherwise run as it was without a word, its old expectations judged.
 * What changed is told in the Debug Console at the restart.
 */
import { textHash, type ProjectFiles } from '../../engine';

export class CompiledTexts {
  private readonly hashes = new Map<string, string | undefined>();

  constructor(private readonly files: ProjectFiles, paths: readonly string[]) {
    for (const p of paths) this.hashes.set(p, this.hashOf(p));
  }

  /** The files whose text differs from the compiled one, and those that can no longer be read. */
  changed(): { edited: string[]; gone: string[] } {
    const edited: string[] = [];
    const gone: string[] = [];
    for (const [p, h] of this.hashes) {
      const now = this.hashOf(p);
      if (now === undefined && h !== undefined) gone.push(p);
      else if (now !== h) edited.push(p);
    }
    return { edited, gone };
  }

  private hashOf(p: string): string | undefined {
    const text = this.files.readFile(p);
    return text === undefined ? undefined : textHash(text);
  }
}
