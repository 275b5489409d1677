/**
 * The scenario's registry workload: a program creating or opening a key, setting, reading or
 * deleting a value, or deleting a key. Each operation runs on its own thread in the program's
 * process and passes through the registry callbacks (registryCallbacks.ts) with the REG_NOTIFY_CLASS
 * and the REG_*_INFORMATION structure Windows sends: the pre-notification first (a callback's error
 * blocks it and is the operation's status), then the change, then the post-notification (the rules
 * are registryCallbacks.ts's). A value or
 * key-delete operation acts on a key the program already holds open: only its own notification pair
 * is sent (write an `open-key` line to have the callbacks see the open).
 */
import type { Co } from './coroutine';
import type { Kernel } from './kernel';
import type { KProcess } from './processes';
import { RegistryCallbackRoutines, RegNt } from './registryCallbacks';
import type { RegistryRoutines } from './registry';
import { RegKey, describeValue, encodeValue, type RegistryData } from './registryTree';
import { formatStatus, STATUS } from './status';
import { PRIORITY, type KThread } from './thread';

export type RegistryOperation =
  | { op: 'create-key'; path: string; volatile: boolean }
  | { op: 'open-key'; path: string }
  | { op: 'set-value'; path: string; name: string; value: RegistryData }
  | { op: 'query-value'; path: string; name: string }
  | { op: 'delete-value'; path: string; name: string }
  | { op: 'delete-key'; path: string };

export interface RegistryOpResult {
  id: number;
  status: number;
  /** For create-key: whether the key was made (false: it existed). */
  created?: boolean;
}

const KEY_ALL_ACCESS = 0xf003f;
const REG_OPTION_VOLATILE = 1;

export class RegistryWorkload {
  readonly results = new Map<number, RegistryOpResult>();

  constructor(
    private readonly k: Kernel,
    private readonly registry: RegistryRoutines,
    private readonly callbacks: RegistryCallbackRoutines,
  ) {}

  spawn(id: number, process: KProcess, op: RegistryOperation): KThread {
    return this.k.spawn(`Registry ${op.op} (#${id})`, 'io', PRIORITY.normal, (t) => {
      t.process = process;
      return this.body(t, id, op);
    });
  }

  private *body(t: KThread, id: number, op: RegistryOperation): Co<void> {
    const k = this.k;
    const what = `registry #${id} ${op.op} ${op.path}${'name' in op ? ` "${op.name}"` : ''}`;
    const r: { status: number; created?: boolean } = op.op === 'create-key' || op.op === 'open-key' ? yield* this.openOrCreate(t, what, op) : yield* this.onKey(t, what, op);
    this.results.set(id, { id, ...r });
    k.emit('registry', 0, `${what}: ${formatStatus(r.status)}${r.created === undefined ? '' : r.created ? ' (created)' : ' (it existed)'}`);
  }

  private *openOrCreate(t: KThread, what: string, op: Extract<RegistryOperation, { op: 'create-key' | 'open-key' }>): Co<{ status: number; created?: boolean }> {
    const cb = this.callbacks;
    const create = op.op === 'create-key';
    const owner = {};
    const pre = cb.info(owner, '_REG_CREATE_KEY_INFORMATION_V1');
    pre.CompleteName = cb.unicodeString(op.path);
    pre.RootObject = null;
    pre.Options = create && op.volatile ? REG_OPTION_VOLATILE : 0;
    pre.DesiredAccess = KEY_ALL_ACCESS;
    pre.Version = 1;
    pre.CheckAccessMode = 1; // UserMode: the program's call
    const o = yield* cb.pre(t, create ? RegNt.PreCreateKeyEx : RegNt.PreOpenKeyEx, pre, what);
    if (o.status === STATUS.STATUS_CALLBACK_BYPASS) return { status: yield* cb.post(t, create ? RegNt.PostCreateKeyEx : RegNt.PostOpenKeyEx, o.notified, null, STATUS.STATUS_SUCCESS, pre) };
    if (o.status !== STATUS.STATUS_SUCCESS) return { status: o.status };
    let status: number;
    let key: RegKey | null = null;
    let created: boolean | undefined;
    if (create) {
      const r = this.registry.tree.create(op.path, op.volatile);
      if (r === 'child-must-be-volatile') status = STATUS.STATUS_CHILD_MUST_BE_VOLATILE;
      else if (r === 'invalid') status = STATUS.STATUS_OBJECT_NAME_INVALID;
      else if (r === 'not-found') status = STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
      else {
        status = STATUS.STATUS_SUCCESS;
        key = r.key;
        created = r.created;
        if (r.created) r.key.lastWrite = this.registry.now();
      }
    } else {
      const r = this.registry.tree.find(op.path);
      status = r instanceof RegKey ? STATUS.STATUS_SUCCESS : r === 'invalid' ? STATUS.STATUS_OBJECT_NAME_INVALID : STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
      key = r instanceof RegKey ? r : null;
    }
    status = yield* cb.post(t, create ? RegNt.PostCreateKeyEx : RegNt.PostOpenKeyEx, o.notified, key, status, pre);
    return created === undefined ? { status } : { status, created };
  }

  private *onKey(t: KThread, what: string, op: Exclude<RegistryOperation, { op: 'create-key' | 'open-key' }>): Co<{ status: number }> {
    const cb = this.callbacks;
    const tree = this.registry.tree;
    const key = tree.find(op.path);
    // The program's open of the key fails before any notification of the operation.
    if (!(key instanceof RegKey)) return { status: key === 'invalid' ? STATUS.STATUS_OBJECT_NAME_INVALID : STATUS.STATUS_OBJECT_NAME_NOT_FOUND };
    const owner = {};
    let pre;
    let preClass: number;
    let postClass: number;
    let data: { type: number; data: Uint8Array } | undefined;
    switch (op.op) {
      case 'set-value': {
        data = encodeValue(op.value);
        pre = cb.info(owner, '_REG_SET_VALUE_KEY_INFORMATION');
        pre.ValueName = cb.unicodeString(op.name);
        pre.Type = data.type;
        const space = this.k.marshal.space;
        pre.Data = data.data.length === 0 ? null : space.pointer(space.allocate('engine', data.data.length, { label: `data of "${op.name}" (${data.data.length} bytes)`, contents: data.data }));
        pre.DataSize = data.data.length;
        preClass = RegNt.PreSetValueKey;
        postClass = RegNt.PostSetValueKey;
        break;
      }
      case 'delete-value':
        pre = cb.info(owner, '_REG_DELETE_VALUE_KEY_INFORMATION');
        pre.ValueName = cb.unicodeString(op.name);
        preClass = RegNt.PreDeleteValueKey;
        postClass = RegNt.PostDeleteValueKey;
        break;
      case 'query-value':
        pre = cb.info(owner, '_REG_QUERY_VALUE_KEY_INFORMATION');
        pre.ValueName = cb.unicodeString(op.name);
        pre.KeyValueInformationClass = 2; // KeyValuePartialInformation, what RegQueryValueEx asks for
        preClass = RegNt.PreQueryValueKey;
        postClass = RegNt.PostQueryValueKey;
        break;
      case 'delete-key':
        pre = cb.info(owner, '_REG_DELETE_KEY_INFORMATION');
        preClass = RegNt.PreDeleteKey;
        postClass = RegNt.PostDeleteKey;
        break;
    }
    pre.Object = key;
    const o = yield* cb.pre(t, preClass, pre, what);
    if (o.status === STATUS.STATUS_CALLBACK_BYPASS) return { status: yield* cb.post(t, postClass, o.notified, key, STATUS.STATUS_SUCCESS, pre) };
    if (o.status !== STATUS.STATUS_SUCCESS) return { status: o.status };
    let status: number = STATUS.STATUS_SUCCESS;
    const now = this.registry.now();
    switch (op.op) {
      case 'set-value':
        tree.setValue(key, op.name, data!.type, data!.data, now);
        this.k.emit('registry', 0, `${what}: ${key.path} "${op.name}" = ${describeValue(data!)}`);
        break;
      case 'delete-value':
        if (!tree.deleteValue(key, op.name, now)) status = STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
        break;
      case 'query-value':
        if (key.value(op.name) === undefined) status = STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
        break;
      case 'delete-key':
        if (!tree.delete(key)) status = STATUS.STATUS_CANNOT_DELETE;
        break;
    }
    return { status: yield* cb.post(t, postClass, o.notified, key, status, pre) };
  }
}
