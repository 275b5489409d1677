import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATUS, formatStatus, ntError, ntSuccess, statusByName, toStatus } from '../../../engine';

test('NT_SUCCESS treats informational codes as success and errors as failure', () => {
  assert.equal(ntSuccess(STATUS.STATUS_SUCCESS), true);
  assert.equal(ntSuccess(STATUS.STATUS_PENDING), true);
  assert.equal(ntSuccess(STATUS.STATUS_TIMEOUT), true, 'STATUS_TIMEOUT is a success code');
  assert.equal(ntSuccess(STATUS.STATUS_BUFFER_OVERFLOW), false, 'warnings are not success');
  assert.equal(ntSuccess(STATUS.STATUS_FLT_DELETING_OBJECT), false);
  assert.equal(ntError(STATUS.STATUS_CANCELLED), true);
  assert.equal(ntError(STATUS.STATUS_BUFFER_OVERFLOW), false);
});

test('statuses format by name, signed or unsigned, and unknown ones in hex', () => {
  assert.equal(formatStatus(0xc0000120), 'STATUS_CANCELLED');
  assert.equal(formatStatus(-1073741536), 'STATUS_CANCELLED');
  assert.equal(formatStatus(0), 'STATUS_SUCCESS');
  assert.equal(formatStatus(0xc0000999), '0xC0000999');
  assert.equal(statusByName('STATUS_FLT_CBDQ_DISABLED'), 0xc01c000e);
  assert.equal(toStatus(-1), 0xffffffff);
});
