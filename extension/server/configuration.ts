/**
 * Where the server gets the `fltsim` settings for a document. A client that answers
 * `workspace/configuration` is asked per document (the settings have resource scope, so folders
 * may differ); the answer is cached until `didChangeConfiguration`. A client that cannot be asked
 * may push the section in `didChangeConfiguration`; otherwise the defaults apply.
 */
import { DEFAULT_SETTINGS, readLintSettings, type LintSettings } from './settings';

export interface SettingsSourceOptions {
  /** Whether the client declared `workspace.configuration` support. */
  pull: boolean;
  /** Asks the client for the `fltsim` section as seen from `uri`. */
  request: (uri: string) => Promise<unknown>;
  log: (message: string) => void;
}

export class SettingsSource {
  private readonly cache = new Map<string, Promise<LintSettings>>();
  private pushed: LintSettings = DEFAULT_SETTINGS;
  /** Settings problems already logged, so a bad value is reported once, not on every keystroke. */
  private readonly reported = new Set<string>();

  constructor(private readonly options: SettingsSourceOptions) {}

  /** The settings that apply to the document at `uri`. Never rejects. */
  forUri(uri: string): Promise<LintSettings> {
    if (!this.options.pull) return Promise.resolve(this.pushed);
    let hit = this.cache.get(uri);
    if (!hit) {
      hit = this.options.request(uri).then(
        (section) => this.read(section),
        (err: unknown) => {
          this.options.log(`fltsim: could not read the settings for ${uri} (${err instanceof Error ? err.message : String(err)}); using the defaults.`);
          return DEFAULT_SETTINGS;
        },
      );
      this.cache.set(uri, hit);
    }
    return hit;
  }

  /**
   * The settings changed. `payload` is the `settings` member of `didChangeConfiguration`; clients
   * that push settings put the whole configuration there (`{ fltsim: { lint: … } }`).
   */
  changed(payload: unknown): void {
    this.cache.clear();
    this.reported.clear();
    if (typeof payload === 'object' && payload !== null && 'fltsim' in payload) {
      this.pushed = this.read((payload as { fltsim: unknown }).fltsim);
    }
  }

  /** Drops the cached settings of a closed document. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  private read(section: unknown): LintSettings {
    const { settings, problems } = readLintSettings(section);
    for (const p of problems) {
      if (this.reported.has(p)) continue;
      this.reported.add(p);
      this.options.log(`fltsim: ${p}`);
    }
    return settings;
  }
}
