/**
 * Kernel-mode CNG (engine/kernel/cng.ts) from driver C: AES against the FIPS-197 and SP 800-38A
 * vectors, a round trip with padding, SHA-256 against FIPS 180-2, and the IRQL rule of providers
 * opened without BCRYPT_PROV_DISPATCH.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from '../interp/harness';

const SOURCE = `
#include <fltKernel.h>
#include <bcrypt.h>
static UCHAR Key[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
static UCHAR Plain[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
UCHAR Out[64];
UCHAR Back[64];
UCHAR KeyObject[1024];
ULONG ObjectLength;

static NTSTATUS OpenKey(ULONG ProviderFlags, PCWSTR Mode, BCRYPT_ALG_HANDLE *Alg, BCRYPT_KEY_HANDLE *Handle) {
    ULONG Got = 0;
    NTSTATUS Status = BCryptOpenAlgorithmProvider(Alg, BCRYPT_AES_ALGORITHM, NULL, ProviderFlags);
    if (!NT_SUCCESS(Status)) return Status;
    Status = BCryptGetProperty(*Alg, BCRYPT_OBJECT_LENGTH, (PUCHAR)&ObjectLength, sizeof(ULONG), &Got, 0);
    if (!NT_SUCCESS(Status) || Got != sizeof(ULONG)) return STATUS_UNSUCCESSFUL;
    Status = BCryptSetProperty(*Alg, BCRYPT_CHAINING_MODE, (PUCHAR)Mode, (ULONG)(wcslen(Mode) + 1) * sizeof(WCHAR), 0);
    if (!NT_SUCCESS(Status)) return Status;
    return BCryptGenerateSymmetricKey(*Alg, Handle, KeyObject, ObjectLength, Key, sizeof(Key), 0);
}

/* AES-128-ECB of FIPS-197's example block: the first and last byte of the ciphertext. */
int EcbVector(void) {
    BCRYPT_ALG_HANDLE Alg; BCRYPT_KEY_HANDLE Handle; ULONG Done = 0;
    NTSTATUS Status = OpenKey(BCRYPT_PROV_DISPATCH, BCRYPT_CHAIN_MODE_ECB, &Alg, &Handle);
    if (!NT_SUCCESS(Status)) return -1;
    Status = BCryptEncrypt(Handle, Plain, 16, NULL, NULL, 0, Out, sizeof(Out), &Done, 0);
    if (!NT_SUCCESS(Status) || Done != 16) return -2;
    BCryptDestroyKey(Handle);
    BCryptCloseAlgorithmProvider(Alg, 0);
    return Out[0] * 256 + Out[15];
}

/* 20 bytes with padding grow to 32; decrypting them gives the 20 bytes back. */
int PaddedRoundTrip(void) {
    BCRYPT_ALG_HANDLE Alg; BCRYPT_KEY_HANDLE Handle; ULONG Done = 0, Back2 = 0; int i;
    UCHAR Iv[16] = { 0 }, Iv2[16] = { 0 };
    UCHAR Text[20];
    for (i = 0; i < 20; i++) Text[i] = (UCHAR)(i * 7);
    if (!NT_SUCCESS(OpenKey(0, BCRYPT_CHAIN_MODE_CBC, &Alg, &Handle))) return -1;
    if (!NT_SUCCESS(BCryptEncrypt(Handle, Text, 20, NULL, Iv, 16, Out, sizeof(Out), &Done, BCRYPT_BLOCK_PADDING))) return -2;
    if (!NT_SUCCESS(BCryptDecrypt(Handle, Out, Done, NULL, Iv2, 16, Back, sizeof(Back), &Back2, BCRYPT_BLOCK_PADDING))) return -3;
    for (i = 0; i < 20; i++) if (Back[i] != Text[i]) return -4;
    return (int)(Done * 100 + Back2);
}

/* Without padding, a length that is not a multiple of the block is refused. */
NTSTATUS UnpaddedOddLength(void) {
    BCRYPT_ALG_HANDLE Alg; BCRYPT_KEY_HANDLE Handle; ULONG Done = 0;
    OpenKey(BCRYPT_PROV_DISPATCH, BCRYPT_CHAIN_MODE_ECB, &Alg, &Handle);
    return BCryptEncrypt(Handle, Plain, 15, NULL, NULL, 0, Out, sizeof(Out), &Done, 0);
}

int Sha256Abc(void) {
    BCRYPT_ALG_HANDLE Alg; BCRYPT_HASH_HANDLE Hash; ULONG Length = 0, Got = 0;
    UCHAR Digest[32];
    if (!NT_SUCCESS(BCryptOpenAlgorithmProvider(&Alg, BCRYPT_SHA256_ALGORITHM, NULL, 0))) return -1;
    if (!NT_SUCCESS(BCryptGetProperty(Alg, BCRYPT_HASH_LENGTH, (PUCHAR)&Length, sizeof(Length), &Got, 0))) return -2;
    if (!NT_SUCCESS(BCryptCreateHash(Alg, &Hash, NULL, 0, NULL, 0, 0))) return -3;
    BCryptHashData(Hash, (PUCHAR)"abc", 3, 0);
    if (!NT_SUCCESS(BCryptFinishHash(Hash, Digest, Length, 0))) return -4;
    BCryptDestroyHash(Hash);
    return (int)Length * 65536 + Digest[0] * 256 + Digest[31];
}

/* A provider opened without BCRYPT_PROV_DISPATCH may not be used at DISPATCH_LEVEL. */
NTSTATUS EncryptAtDispatch(ULONG ProviderFlags) {
    BCRYPT_ALG_HANDLE Alg; BCRYPT_KEY_HANDLE Handle; ULONG Done = 0; KIRQL Old; NTSTATUS Status;
    OpenKey(ProviderFlags, BCRYPT_CHAIN_MODE_ECB, &Alg, &Handle);
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
    Status = BCryptEncrypt(Handle, Plain, 16, NULL, NULL, 0, Out, sizeof(Out), &Done, 0);
    KeLowerIrql(Old);
    return Status;
}
`;

test('AES-128-ECB encrypts the FIPS-197 example block to its published ciphertext', async () => {
  const h = await loadC(SOURCE);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('EcbVector'), 0x69 * 256 + 0x5a, 'ciphertext 69c4e0d8…70b4c55a');
  assert.equal(h.violations.length, 0, JSON.stringify(h.violations));
});

test('CBC with BCRYPT_BLOCK_PADDING pads 20 bytes to 32 and decrypts them back; unpadded odd lengths are refused', async () => {
  const h = await loadC(SOURCE);
  assert.equal(h.call('PaddedRoundTrip'), 32 * 100 + 20);
  assert.equal(h.call('UnpaddedOddLength'), 0xc0000206 | 0, 'STATUS_INVALID_BUFFER_SIZE');
});

test('SHA-256 of "abc" is the FIPS 180-2 digest, 32 bytes long', async () => {
  const h = await loadC(SOURCE);
  assert.equal(h.call('Sha256Abc'), 32 * 65536 + 0xba * 256 + 0xad, 'ba7816bf…f20015ad');
});

test('a key of a provider opened without BCRYPT_PROV_DISPATCH used at DISPATCH_LEVEL is a violation; with the flag it is fine', async () => {
  const h = await loadC(SOURCE);
  assert.equal(h.call('EncryptAtDispatch', 1), 0);
  assert.equal(h.violations.length, 0, JSON.stringify(h.violations));
  h.call('EncryptAtDispatch', 0);
  assert.ok(h.violations.some((v) => v.rule === 'irql-above-bound' && /BCRYPT_PROV_DISPATCH/.test(v.message)), JSON.stringify(h.violations));
});
