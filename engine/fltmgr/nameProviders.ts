/**
 * Name providers: a filter that registers GenerateFileNameCallback answers the name requests of
 * the filters above it on its volume (Windows 8 and later behaviour). A request for a normalized
 * name asks the provider for one; if it fails, the provider is asked for the opened name and the
 * Filter Manager normalizes it component by component through NormalizeNameComponent(Ex), then
 * lets NormalizeContextCleanup free the context the provider kept across those calls. Requests a
 * provider makes while it answers go to the providers below it (or the file system), which is how
 * it learns the name it rewrites.
 */
import { isCo, type Co } from '../kernel/coroutine';
import { makeUnicodeString, Ref, unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import { EngineStruct, mirrorFields, pointerOf } from '../kernel/marshal';
import { STATUS } from '../kernel/status';
import type { KThread } from '../kernel/thread';
import { encodeChars, readChars } from '../memory/strings';
import { Ptr, type AllocPtr } from '../memory/pointer';
import { viewAt } from '../memory/view';
import { FLT_FILE_NAME_NORMALIZED, FLT_FILE_NAME_OPENED } from './constants';
import type { FltCallbackData } from './callbackData';
import type { FilterManager } from './fltmgr';
import type { Instance, Volume } from './objects';
import type { FileObject } from './structs';

/** FLT_FILE_NAME_REQUEST_FROM_CURRENT_PROVIDER: a provider's own request starts at itself. */
const FROM_CURRENT_PROVIDER = 0x01000000;
/** FLTFL_NORMALIZE_NAME_CASE_SENSITIVE. */
const NORMALIZE_CASE_SENSITIVE = 0x01;
/** FLTFL_NORMALIZE_NAME_DESTINATION_FILE_NAME: the component belongs to a rename or link target. */
const NORMALIZE_DESTINATION = 0x02;
/** FO_OPENED_CASE_SENSITIVE. */
const FO_OPENED_CASE_SENSITIVE = 0x01000000;
/**
 * A name control starts with a small buffer, so a provider that copies its name without
 * FltCheckAndGrowNameControl truncates it (or overruns) as it would on Windows with a long name.
 */
const INITIAL_NAME_BYTES = 64;
/** FILE_NAMES_INFORMATION: NextEntryOffset, FileIndex, FileNameLength, then the characters. */
const NAMES_INFO_HEADER = 12;
/** The expanded-component buffer a provider fills: one FILE_NAMES_INFORMATION with a 255-character name. */
const EXPAND_BUFFER_BYTES = NAMES_INFO_HEADER + 255 * 2;

/** FLT_NAME_CONTROL: the Filter Manager's buffer a provider writes its name into (Name.Buffer is pool the Filter Manager owns). */
export class NameControl extends EngineStruct {
  protected get cTag(): string {
    return '_FLT_NAME_CONTROL';
  }

  protected readonly js: Record<string, unknown>;
  declare Name: UnicodeString;

  constructor(readonly label: string, buffer: AllocPtr) {
    super();
    this.js = { Name: { Length: 0, MaximumLength: buffer.alloc.size, Buffer: buffer } };
  }

  protected override cLabel(): string {
    return `FLT_NAME_CONTROL (${this.label})`;
  }
}
mirrorFields(NameControl, ['Name']);

export interface NameAnswer {
  status: number;
  name?: string;
}

export class NameProviders {
  constructor(private readonly fm: FilterManager) {}

  /**
   * The instance a name request comes from: the filter whose driver code is running on this
   * thread (a provider answering a request is such a filter too), or null for a request from
   * above every filter (a TypeScript caller, the workload).
   */
  requester(t: KThread, volume: Volume): Instance | null {
    for (let i = t.frames.length - 1; i >= 0; i--) {
      const module = t.frames[i]!.module;
      if (module === undefined || module === 'fltmgr' || module === 'nt') continue;
      const inst = volume.instances.find((x) => x.filter.module === module);
      if (inst !== undefined) return inst;
    }
    return null;
  }

  /** The highest provider below `from` (or at it, for FLT_FILE_NAME_REQUEST_FROM_CURRENT_PROVIDER) on the volume. */
  providerFor(volume: Volume, from: Instance | null, options: number): Instance | null {
    const stack = volume.instances;
    let i = from === null ? 0 : stack.indexOf(from) + ((options & FROM_CURRENT_PROVIDER) !== 0 ? 0 : 1);
    if (from !== null && stack.indexOf(from) < 0) i = stack.findIndex((x) => Number(x.altitude) < Number(from.altitude));
    if (i < 0) return null;
    for (; i < stack.length; i++) {
      const inst = stack[i]!;
      if (inst.state === 'attached' && inst.filter.registration.raw.GenerateFileNameCallback) return inst;
    }
    return null;
  }

  /** Asks `provider` for the name of `fo` in the format `options` asks for. */
  *ask(t: KThread, provider: Instance, fo: FileObject, data: FltCallbackData | null, options: number): Co<NameAnswer> {
    const format = options & 0xff;
    const first = yield* this.generate(t, provider, fo, data, options);
    if (format !== FLT_FILE_NAME_NORMALIZED || isSuccess(first.status)) return first;
    // The provider does not make normalized names itself: its opened name, normalized here.
    const opened = yield* this.generate(t, provider, fo, data, (options & ~0xff) | FLT_FILE_NAME_OPENED);
    if (!isSuccess(opened.status) || opened.name === undefined) return opened;
    return yield* this.normalize(t, provider, fo, opened.name, first.status);
  }

  private *generate(t: KThread, provider: Instance, fo: FileObject, data: FltCallbackData | null, options: number): Co<NameAnswer> {
    const k = this.fm.k;
    const fn = provider.filter.registration.raw.GenerateFileNameCallback as DriverFn;
    const control = this.newControl(provider);
    const cache = { v: 0 as unknown };
    let r = k.callDriverSync(t, fn, nameOf(fn, 'GenerateFileNameCallback'), [provider, fo, data, options >>> 0, new Ref(cache, 'v'), control]);
    if (isCo(r)) r = yield* r;
    const status = typeof r === 'number' ? r >>> 0 : STATUS.STATUS_SUCCESS;
    const name = isSuccess(status) ? unicodeStringText(control.Name) : undefined;
    this.freeControl(control);
    return name === undefined ? { status } : { status, name };
  }

  /**
   * Normalizes an opened name one component at a time: each component is expanded by the
   * provider's NormalizeNameComponent(Ex) under its parent folder's normalized name. A final
   * component the provider cannot find (a file being created) stays as it was spelled.
   */
  /**
   * The normalized name of a rename or link target through `provider`: each component expanded by
   * its NormalizeNameComponent(Ex) with FLTFL_NORMALIZE_NAME_DESTINATION_FILE_NAME (a final
   * component that does not exist yet stays as spelled). Null when the provider has no normalize
   * callback (the file system's answer stands).
   */
  *normalizeDestination(t: KThread, provider: Instance, fo: FileObject, target: string): Co<NameAnswer | null> {
    const raw = provider.filter.registration.raw;
    if (!raw.NormalizeNameComponentExCallback && !raw.NormalizeNameComponentCallback) return null;
    return yield* this.normalize(t, provider, fo, target, STATUS.STATUS_NOT_SUPPORTED, NORMALIZE_DESTINATION);
  }

  /** The opened name `provider` gives `fo` (a rename's relative target is resolved against its folder). */
  *openedName(t: KThread, provider: Instance, fo: FileObject): Co<NameAnswer> {
    return yield* this.generate(t, provider, fo, null, FLT_FILE_NAME_OPENED);
  }

  private *normalize(t: KThread, provider: Instance, fo: FileObject, opened: string, generateStatus: number, extraFlags = 0): Co<NameAnswer> {
    const k = this.fm.k;
    const raw = provider.filter.registration.raw;
    const ex = raw.NormalizeNameComponentExCallback ?? null;
    const plain = raw.NormalizeNameComponentCallback ?? null;
    if (!ex && !plain) return { status: generateStatus };
    const volume = fo.stream.volumeName;
    if (!opened.toLowerCase().startsWith(volume.toLowerCase())) return { status: STATUS.STATUS_OBJECT_NAME_INVALID };
    const rest = opened.slice(volume.length);
    const parts = rest.split('\\').filter((p) => p.length > 0);
    const space = k.marshal.space;
    const expand = space.pointer(space.allocate('engine', EXPAND_BUFFER_BYTES, { label: 'FILE_NAMES_INFORMATION for NormalizeNameComponent', zeroed: true }));
    const context = { v: null as unknown };
    const flags = ((fo.Flags & FO_OPENED_CASE_SENSITIVE) !== 0 ? NORMALIZE_CASE_SENSITIVE : 0) | extraFlags;
    let normalized = volume;
    try {
      for (let i = 0; i < parts.length; i++) {
        const colon = i === parts.length - 1 ? parts[i]!.indexOf(':') : -1;
        const component = colon >= 0 ? parts[i]!.slice(0, colon) : parts[i]!;
        const stream = colon >= 0 ? parts[i]!.slice(colon) : '';
        const parent = i === 0 ? `${volume}\\` : normalized;
        expand.alloc.writeBytes(0, new Uint8Array(EXPAND_BUFFER_BYTES));
        const args = [this.cString(parent), volume.length * 2, this.cString(component), expand, EXPAND_BUFFER_BYTES, flags, new Ref(context, 'v')];
        const fn = (ex ?? plain) as DriverFn;
        let r = k.callDriverSync(t, fn, nameOf(fn, ex ? 'NormalizeNameComponentExCallback' : 'NormalizeNameComponentCallback'), ex ? [provider, fo, ...args] : [provider, ...args]);
        if (isCo(r)) r = yield* r;
        const status = typeof r === 'number' ? r >>> 0 : STATUS.STATUS_SUCCESS;
        let expanded = component;
        if (isSuccess(status)) {
          const length = new DataView(expand.alloc.peek(8, 4).slice().buffer).getUint32(0, true);
          if (length <= 0 || length > EXPAND_BUFFER_BYTES - NAMES_INFO_HEADER) {
            k.violation('name-info', `${nameOf(fn, 'NormalizeNameComponent')} returned success with FileNameLength ${length} for "${component}"; it must be the expanded component's length in bytes`);
            return { status: STATUS.STATUS_INVALID_PARAMETER };
          }
          expanded = readChars(expand.add(NAMES_INFO_HEADER), 2, Math.floor(length / 2));
        } else if (!(i === parts.length - 1 && (status === STATUS.STATUS_NO_SUCH_FILE || status === STATUS.STATUS_OBJECT_NAME_NOT_FOUND))) {
          return { status };
        }
        normalized += `\\${expanded}${stream}`;
      }
      if (rest.endsWith('\\') && parts.length === 0) normalized += '\\';
      return { status: STATUS.STATUS_SUCCESS, name: normalized };
    } finally {
      space.free(expand.alloc);
      const cleanup = raw.NormalizeContextCleanupCallback ?? null;
      if (cleanup && context.v !== null && context.v !== undefined && context.v !== 0) {
        const r = k.callDriverSync(t, cleanup, nameOf(cleanup, 'NormalizeContextCleanupCallback'), [new Ref(context, 'v')]);
        if (isCo(r)) yield* r;
      }
    }
  }

  /**
   * FltCheckAndGrowNameControl: makes the name control's buffer hold at least NewSize bytes, keeping
   * the name it holds; the old buffer is freed (a pointer kept to it is then a use after free).
   */
  FltCheckAndGrowNameControl(NameCtrl: unknown, NewSize: number): number {
    const k = this.fm.k;
    k.checkIrql('FltCheckAndGrowNameControl');
    if (!(NameCtrl instanceof NameControl)) {
      k.violation(NameCtrl === null || NameCtrl === undefined ? 'null-param' : 'bad-object', 'FltCheckAndGrowNameControl needs the FLT_NAME_CONTROL the Filter Manager passed to GenerateFileNameCallback');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const size = Number(NewSize) & 0xffff;
    const name = NameCtrl.Name;
    if (size <= Number(name.MaximumLength)) return STATUS.STATUS_SUCCESS;
    const space = k.marshal.space;
    const grown = space.pointer(space.allocate('engine', size, { label: `name buffer of ${NameCtrl.label} (${size} bytes)`, zeroed: true }));
    const old = pointerOf(name.Buffer);
    const keep = Math.min(Number(name.Length), size);
    if (old instanceof Ptr && old.alloc !== null && keep > 0) grown.alloc.writeBytes(0, old.alloc.peek(old.offset, keep));
    if (old instanceof Ptr && old.alloc !== null && !old.alloc.freed) space.free(old.alloc);
    NameCtrl.Name = { Length: keep, MaximumLength: size, Buffer: grown };
    return STATUS.STATUS_SUCCESS;
  }

  private newControl(provider: Instance): NameControl {
    const space = this.fm.k.marshal.space;
    const label = `name request to ${provider.filter.module}`;
    return new NameControl(label, space.pointer(space.allocate('engine', INITIAL_NAME_BYTES, { label: `name buffer of FLT_NAME_CONTROL (${label})`, zeroed: true })));
  }

  private freeControl(control: NameControl): void {
    const p = pointerOf(control.Name.Buffer);
    if (p instanceof Ptr && p.alloc !== null && !p.alloc.freed) this.fm.k.marshal.space.free(p.alloc);
  }

  /** A UNICODE_STRING in engine memory holding `text` (a callback's PCUNICODE_STRING argument). */
  private cString(text: string): unknown {
    const m = this.fm.k.marshal;
    if (m.layouts === undefined) return makeUnicodeString(text);
    const chars = encodeChars(text, 2, false);
    const buffer = m.space.allocate('engine', Math.max(chars.length, 2), { label: `characters "${text.length > 24 ? `${text.slice(0, 24)}…` : text}"`, contents: chars });
    const st = m.struct('_UNICODE_STRING');
    const us = m.space.allocate('engine', 16, { label: 'UNICODE_STRING', zeroed: true, type: st });
    const v = viewAt(us, 0, st);
    v.Length = chars.length;
    v.MaximumLength = chars.length;
    v.Buffer = m.space.pointer(buffer);
    return v;
  }
}

function isSuccess(status: number): boolean {
  return (status >>> 0) < 0x80000000;
}
