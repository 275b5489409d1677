/**
 * The engine reaches files through HostFiles; in the processes fltsim ships (the command line, the
 * debug adapter) that is the local file system, read through SourceReader's guards (only regular
 * files, under the size limit, not binary; folders with their identity for loop-free walks).
 */
import type { HostFiles } from '../../engine';
import { SourceReader } from './sourceFiles';

export const nodeFiles: HostFiles = new SourceReader().hostFiles();
