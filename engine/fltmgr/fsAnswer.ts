/** What the file system model answers for an operation. */
import { STATUS } from '../kernel/status';

/** A status and the IoStatus.Information that goes with it. */
export interface FsAnswer {
  status: number;
  information: number;
}

export interface FsResult extends FsAnswer {
  async: boolean;
  /** The file system holds the request (STATUS_PENDING) and completes it later through `notify.completer`. */
  pended?: boolean;
}

export function ok(information: number): FsAnswer {
  return { status: STATUS.STATUS_SUCCESS, information };
}

export function fail(status: number, information = 0): FsAnswer {
  return { status, information };
}
