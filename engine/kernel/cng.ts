/**
 * Kernel-mode CNG (bcrypt.h through ksecdd): the algorithm providers encryption filters open in
 * DriverEntry, symmetric keys, encryption and decryption of their buffers, and hashes. The bytes are
 * real (node's crypto does the arithmetic), so a filter that encrypts what it writes and decrypts
 * what it reads round-trips through the simulated disk. Supported: AES (ECB and CBC, with or without
 * BCRYPT_BLOCK_PADDING), SHA-1/256/384/512 and MD5 hashes (HMAC with BCRYPT_ALG_HANDLE_HMAC_FLAG),
 * and the RNG. Anything else answers STATUS_NOT_SUPPORTED, as a provider that lacks it would.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { WideText } from './cvalues';
import type { Kernel } from './kernel';
import { Irql } from './irql';
import { Random } from './random';
import { pointerOf } from './marshal';
import { readBuffer, writeBuffer } from './buffers';
import { readCString } from '../memory/strings';
import { writeOut } from './objects';
import { STATUS } from './status';

export const BCRYPT_PROV_DISPATCH = 0x1;
export const BCRYPT_ALG_HANDLE_HMAC_FLAG = 0x8;
export const BCRYPT_BLOCK_PADDING = 0x1;

type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'md5';
const HASHES: Record<string, { name: HashName; length: number; block: number }> = {
  SHA1: { name: 'sha1', length: 20, block: 64 },
  SHA256: { name: 'sha256', length: 32, block: 64 },
  SHA384: { name: 'sha384', length: 48, block: 128 },
  SHA512: { name: 'sha512', length: 64, block: 128 },
  MD5: { name: 'md5', length: 16, block: 64 },
};

/** What BCRYPT_OBJECT_LENGTH answers: the buffer the caller lends each key or hash object. */
const KEY_OBJECT_LENGTH = 654;
const HASH_OBJECT_LENGTH = 318;
const AES_BLOCK = 16;

type Chaining = 'ChainingModeECB' | 'ChainingModeCBC';

class CngAlgorithm {
  chaining: Chaining = 'ChainingModeCBC';
  closed = false;
  constructor(
    readonly id: string,
    readonly dispatch: boolean,
    readonly hmac: boolean,
  ) {}
  get hash(): (typeof HASHES)[string] | undefined {
    return HASHES[this.id];
  }
}

class CngKey {
  destroyed = false;
  constructor(
    readonly alg: CngAlgorithm,
    readonly secret: Uint8Array,
    readonly chaining: Chaining,
  ) {}
}

class CngHash {
  destroyed = false;
  constructor(
    readonly alg: CngAlgorithm,
    readonly state: Hash | Hmac,
  ) {}
}

export class CngRoutines {
  /** Its own generator: random bytes a driver asks for never shift the scheduler's choices. */
  private readonly rng = new Random(0x6e67);

  constructor(private readonly k: Kernel) {}

  private text(v: unknown): string | undefined {
    if (typeof v === 'string') return v;
    if (v instanceof WideText) return v.text;
    const p = pointerOf(v);
    return p ? readCString(p, 2) : undefined;
  }

  /** The IRQL rule of a handle's operations: DISPATCH_LEVEL for a BCRYPT_PROV_DISPATCH provider, PASSIVE_LEVEL otherwise. */
  private checkLevel(routine: string, alg: CngAlgorithm): boolean {
    if (!this.k.checkIrql(routine)) return false;
    const irql = this.k.current.irql;
    if (!alg.dispatch && irql > Irql.PASSIVE_LEVEL) {
      this.k.violation('irql-above-bound', `${routine} called at IRQL ${irql} with a handle of the '${alg.id}' provider, which was opened without BCRYPT_PROV_DISPATCH: only PASSIVE_LEVEL is allowed then`);
      return false;
    }
    return true;
  }

  private algorithm(routine: string, h: unknown): CngAlgorithm | undefined {
    if (h instanceof CngAlgorithm && !h.closed) return h;
    this.k.violation('bad-object', `${routine} needs an open algorithm handle from BCryptOpenAlgorithmProvider${h instanceof CngAlgorithm ? ' (this one was closed)' : ''}`);
    return undefined;
  }

  BCryptOpenAlgorithmProvider(phAlgorithm: unknown, pszAlgId: unknown, pszImplementation: unknown, dwFlags: number): number {
    this.k.checkIrql('BCryptOpenAlgorithmProvider');
    const id = this.text(pszAlgId);
    if (!phAlgorithm || id === undefined) return STATUS.STATUS_INVALID_PARAMETER;
    const flags = Number(dwFlags);
    const impl = this.text(pszImplementation);
    if (impl !== undefined && impl !== 'Microsoft Primitive Provider') return STATUS.STATUS_NOT_FOUND;
    const upper = id.toUpperCase();
    const hmac = (flags & BCRYPT_ALG_HANDLE_HMAC_FLAG) !== 0;
    if (upper !== 'AES' && upper !== 'RNG' && !HASHES[upper]) return STATUS.STATUS_NOT_FOUND;
    if (hmac && !HASHES[upper]) return STATUS.STATUS_INVALID_PARAMETER;
    writeOut(phAlgorithm, new CngAlgorithm(upper, (flags & BCRYPT_PROV_DISPATCH) !== 0, hmac));
    return STATUS.STATUS_SUCCESS;
  }

  BCryptCloseAlgorithmProvider(hAlgorithm: unknown, _dwFlags: number): number {
    this.k.checkIrql('BCryptCloseAlgorithmProvider');
    const alg = this.algorithm('BCryptCloseAlgorithmProvider', hAlgorithm);
    if (!alg) return STATUS.STATUS_INVALID_HANDLE;
    alg.closed = true;
    return STATUS.STATUS_SUCCESS;
  }

  BCryptGetProperty(hObject: unknown, pszProperty: unknown, pbOutput: unknown, cbOutput: number, pcbResult: unknown, _dwFlags: number): number {
    const alg = hObject instanceof CngKey || hObject instanceof CngHash ? hObject.alg : hObject instanceof CngAlgorithm ? hObject : undefined;
    if (!alg) return STATUS.STATUS_INVALID_HANDLE;
    if (!this.checkLevel('BCryptGetProperty', alg)) return STATUS.STATUS_INVALID_PARAMETER;
    const name = this.text(pszProperty);
    let value: Uint8Array;
    const ulong = (n: number): Uint8Array => new Uint8Array([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]);
    const hash = alg.hash;
    switch (name) {
      case 'ObjectLength':
        value = ulong(hash ? HASH_OBJECT_LENGTH : KEY_OBJECT_LENGTH);
        break;
      case 'BlockLength':
        value = ulong(hash ? hash.block : AES_BLOCK);
        break;
      case 'HashDigestLength':
        if (!hash) return STATUS.STATUS_NOT_SUPPORTED;
        value = ulong(hash.length);
        break;
      case 'ChainingMode': {
        const mode = hObject instanceof CngKey ? hObject.chaining : alg.chaining;
        value = new Uint8Array(Buffer.from(`${mode}\0`, 'utf16le'));
        break;
      }
      default:
        return STATUS.STATUS_NOT_SUPPORTED;
    }
    writeOut(pcbResult, value.length);
    if (!pbOutput) return STATUS.STATUS_SUCCESS;
    if (Number(cbOutput) < value.length) return STATUS.STATUS_BUFFER_TOO_SMALL;
    writeBuffer(this.k.marshal, pbOutput, 0, value);
    return STATUS.STATUS_SUCCESS;
  }

  BCryptSetProperty(hObject: unknown, pszProperty: unknown, pbInput: unknown, _cbInput: number, _dwFlags: number): number {
    const alg = this.algorithm('BCryptSetProperty', hObject);
    if (!alg) return STATUS.STATUS_INVALID_HANDLE;
    if (!this.checkLevel('BCryptSetProperty', alg)) return STATUS.STATUS_INVALID_PARAMETER;
    const name = this.text(pszProperty);
    if (name !== 'ChainingMode') return STATUS.STATUS_NOT_SUPPORTED;
    const mode = this.text(pbInput);
    if (alg.id !== 'AES') return STATUS.STATUS_NOT_SUPPORTED;
    if (mode !== 'ChainingModeECB' && mode !== 'ChainingModeCBC') return STATUS.STATUS_NOT_SUPPORTED;
    alg.chaining = mode;
    return STATUS.STATUS_SUCCESS;
  }

  BCryptGenerateSymmetricKey(hAlgorithm: unknown, phKey: unknown, _pbKeyObject: unknown, cbKeyObject: number, pbSecret: unknown, cbSecret: number, _dwFlags: number): number {
    const alg = this.algorithm('BCryptGenerateSymmetricKey', hAlgorithm);
    if (!alg) return STATUS.STATUS_INVALID_HANDLE;
    if (!this.checkLevel('BCryptGenerateSymmetricKey', alg)) return STATUS.STATUS_INVALID_PARAMETER;
    if (alg.id !== 'AES') return STATUS.STATUS_NOT_SUPPORTED;
    const n = Number(cbSecret);
    if (n !== 16 && n !== 24 && n !== 32) return STATUS.STATUS_INVALID_PARAMETER;
    if (Number(cbKeyObject) !== 0 && Number(cbKeyObject) < KEY_OBJECT_LENGTH) return STATUS.STATUS_BUFFER_TOO_SMALL;
    const secret = readBuffer(this.k.marshal, pbSecret, n).slice();
    writeOut(phKey, new CngKey(alg, secret, alg.chaining));
    return STATUS.STATUS_SUCCESS;
  }

  BCryptDestroyKey(hKey: unknown): number {
    if (!(hKey instanceof CngKey) || hKey.destroyed) {
      this.k.violation('bad-object', `BCryptDestroyKey needs a key from BCryptGenerateSymmetricKey${hKey instanceof CngKey ? ' that was not destroyed already' : ''}`);
      return STATUS.STATUS_INVALID_HANDLE;
    }
    this.checkLevel('BCryptDestroyKey', hKey.alg);
    hKey.destroyed = true;
    return STATUS.STATUS_SUCCESS;
  }

  BCryptEncrypt(hKey: unknown, pbInput: unknown, cbInput: number, pPaddingInfo: unknown, pbIV: unknown, cbIV: number, pbOutput: unknown, cbOutput: number, pcbResult: unknown, dwFlags: number): number {
    return this.crypt('BCryptEncrypt', true, hKey, pbInput, cbInput, pbIV, cbIV, pbOutput, cbOutput, pcbResult, dwFlags);
  }

  BCryptDecrypt(hKey: unknown, pbInput: unknown, cbInput: number, pPaddingInfo: unknown, pbIV: unknown, cbIV: number, pbOutput: unknown, cbOutput: number, pcbResult: unknown, dwFlags: number): number {
    return this.crypt('BCryptDecrypt', false, hKey, pbInput, cbInput, pbIV, cbIV, pbOutput, cbOutput, pcbResult, dwFlags);
  }

  private crypt(routine: string, encrypt: boolean, hKey: unknown, pbInput: unknown, cbInput: number, pbIV: unknown, cbIV: number, pbOutput: unknown, cbOutput: number, pcbResult: unknown, dwFlags: number): number {
    if (!(hKey instanceof CngKey) || hKey.destroyed) {
      this.k.violation('bad-object', `${routine} needs a key from BCryptGenerateSymmetricKey${hKey instanceof CngKey ? ' that was not destroyed' : ''}`);
      return STATUS.STATUS_INVALID_HANDLE;
    }
    if (!this.checkLevel(routine, hKey.alg)) return STATUS.STATUS_INVALID_PARAMETER;
    const n = Number(cbInput);
    const padding = (Number(dwFlags) & BCRYPT_BLOCK_PADDING) !== 0;
    if (!padding && n % AES_BLOCK !== 0) return STATUS.STATUS_INVALID_BUFFER_SIZE;
    const cbc = hKey.chaining === 'ChainingModeCBC';
    if (cbc && Number(cbIV) !== AES_BLOCK) return STATUS.STATUS_INVALID_PARAMETER;
    const outLength = encrypt && padding ? (Math.floor(n / AES_BLOCK) + 1) * AES_BLOCK : n;
    if (!pbOutput) {
      writeOut(pcbResult, outLength);
      return STATUS.STATUS_SUCCESS;
    }
    if (Number(cbOutput) < outLength && (encrypt || !padding)) {
      writeOut(pcbResult, outLength);
      return STATUS.STATUS_BUFFER_TOO_SMALL;
    }
    const m = this.k.marshal;
    const input = readBuffer(m, pbInput, n).slice();
    const iv = cbc ? readBuffer(m, pbIV, AES_BLOCK).slice() : null;
    const cipherName = `aes-${hKey.secret.length * 8}-${cbc ? 'cbc' : 'ecb'}`;
    let out: Uint8Array;
    try {
      const c = encrypt ? createCipheriv(cipherName, hKey.secret, iv) : createDecipheriv(cipherName, hKey.secret, iv);
      c.setAutoPadding(padding);
      out = new Uint8Array(Buffer.concat([c.update(input), c.final()]));
    } catch {
      // Only a decryption whose last block does not end in valid padding gets here.
      return STATUS.STATUS_DATA_ERROR;
    }
    if (Number(cbOutput) < out.length) {
      writeOut(pcbResult, out.length);
      return STATUS.STATUS_BUFFER_TOO_SMALL;
    }
    writeBuffer(m, pbOutput, 0, out);
    // CBC hands back the last ciphertext block in the IV buffer, so the next call continues the chain.
    if (cbc && n >= AES_BLOCK) writeBuffer(m, pbIV, 0, (encrypt ? out : input).slice(-AES_BLOCK));
    writeOut(pcbResult, out.length);
    return STATUS.STATUS_SUCCESS;
  }

  BCryptCreateHash(hAlgorithm: unknown, phHash: unknown, _pbHashObject: unknown, cbHashObject: number, pbSecret: unknown, cbSecret: number, _dwFlags: number): number {
    const alg = this.algorithm('BCryptCreateHash', hAlgorithm);
    if (!alg) return STATUS.STATUS_INVALID_HANDLE;
    if (!this.checkLevel('BCryptCreateHash', alg)) return STATUS.STATUS_INVALID_PARAMETER;
    const hash = alg.hash;
    if (!hash) return STATUS.STATUS_NOT_SUPPORTED;
    if (Number(cbHashObject) !== 0 && Number(cbHashObject) < HASH_OBJECT_LENGTH) return STATUS.STATUS_BUFFER_TOO_SMALL;
    const state = alg.hmac ? createHmac(hash.name, readBuffer(this.k.marshal, pbSecret, Number(cbSecret)).slice()) : createHash(hash.name);
    writeOut(phHash, new CngHash(alg, state));
    return STATUS.STATUS_SUCCESS;
  }

  private liveHash(routine: string, hHash: unknown): CngHash | undefined {
    if (hHash instanceof CngHash && !hHash.destroyed) return hHash;
    this.k.violation('bad-object', `${routine} needs a hash from BCryptCreateHash${hHash instanceof CngHash ? ' that was not destroyed' : ''}`);
    return undefined;
  }

  BCryptHashData(hHash: unknown, pbInput: unknown, cbInput: number, _dwFlags: number): number {
    const h = this.liveHash('BCryptHashData', hHash);
    if (!h) return STATUS.STATUS_INVALID_HANDLE;
    if (!this.checkLevel('BCryptHashData', h.alg)) return STATUS.STATUS_INVALID_PARAMETER;
    h.state.update(readBuffer(this.k.marshal, pbInput, Number(cbInput)));
    return STATUS.STATUS_SUCCESS;
  }

  BCryptFinishHash(hHash: unknown, pbOutput: unknown, cbOutput: number, _dwFlags: number): number {
    const h = this.liveHash('BCryptFinishHash', hHash);
    if (!h) return STATUS.STATUS_INVALID_HANDLE;
    if (!this.checkLevel('BCryptFinishHash', h.alg)) return STATUS.STATUS_INVALID_PARAMETER;
    if (Number(cbOutput) !== h.alg.hash!.length) return STATUS.STATUS_INVALID_PARAMETER;
    writeBuffer(this.k.marshal, pbOutput, 0, new Uint8Array(h.state.digest()));
    return STATUS.STATUS_SUCCESS;
  }

  BCryptDestroyHash(hHash: unknown): number {
    const h = this.liveHash('BCryptDestroyHash', hHash);
    if (!h) return STATUS.STATUS_INVALID_HANDLE;
    h.destroyed = true;
    return STATUS.STATUS_SUCCESS;
  }

  /** Deterministic bytes from the run's seed, so a run repeats exactly. */
  BCryptGenRandom(hAlgorithm: unknown, pbBuffer: unknown, cbBuffer: number, dwFlags: number): number {
    const systemRng = (Number(dwFlags) & 0x2) !== 0;
    if (!systemRng && !(hAlgorithm instanceof CngAlgorithm && hAlgorithm.id === 'RNG')) return STATUS.STATUS_INVALID_HANDLE;
    if (!this.k.checkIrql('BCryptGenRandom')) return STATUS.STATUS_INVALID_PARAMETER;
    const n = Number(cbBuffer);
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = this.rng.nextU32() & 0xff;
    writeBuffer(this.k.marshal, pbBuffer, 0, bytes);
    return STATUS.STATUS_SUCCESS;
  }
}
