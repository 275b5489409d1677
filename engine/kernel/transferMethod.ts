/**
 * The transfer method in the two low bits of an IOCTL or FSCTL code, and the one system buffer
 * rule that follows from it, shared by every place that lays out a control request's buffers (an
 * IRP a driver builds, a workload request to a device, a filter's callback data).
 */
export const METHOD_BUFFERED = 0;
export const METHOD_NEITHER = 3;

export function ioctlMethod(code: number): number {
  return code & 3;
}

/** METHOD_BUFFERED: input and output share one system buffer. */
export function isBufferedMethod(code: number): boolean {
  return ioctlMethod(code) === METHOD_BUFFERED;
}

/**
 * Bytes of the system buffer the I/O manager allocates for a control request: METHOD_BUFFERED one
 * big enough for the input and the output, the direct methods the input alone (METHOD_NEITHER none,
 * the caller's buffers are passed as they are).
 */
export function controlSystemBufferSize(code: number, inLength: number, outLength: number): number {
  const method = ioctlMethod(code);
  if (method === METHOD_NEITHER) return 0;
  return method === METHOD_BUFFERED ? Math.max(inLength, outLength) : inLength;
}
