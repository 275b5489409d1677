// SYNTAX TEST "source.c" "fltsim names injected into C"

#include <fltKernel.h>
// <-------- keyword.control.directive.include.c
//       ^^^^^^^^^^^^^ string.quoted.other.include.c

status = FltQueueGenericWorkItem(item, FltObjects->Filter, Worker, DelayedWorkQueue, Data);
//       ^^^^^^^^^^^^^^^^^^^^^^^ support.function.flt.c
//       ^^^^^^^^^^^^^^^^^^^^^^^ - entity.name.function.c
//                              ^ - support.function
//                                     ^^^^^^^^^^ - support.function.flt.c
//                                                         ^^^^^^ - support.function
//                                                                 ^^^^^^^^^^^^^^^^ constant.language.work-queue.c

    return FLT_PREOP_PENDING;
//  ^^^^^^ keyword.control.c
//         ^^^^^^^^^^^^^^^^^ constant.language.callback-status.c

FltCompletePendedPreOperation(Data, FLT_PREOP_COMPLETE, NULL);
// <----------------------------- support.function.flt.c
//                                  ^^^^^^^^^^^^^^^^^^ constant.language.callback-status.c

MyHelper(FLT_POSTOP_FINISHED_PROCESSING, 0x10);
// <-------- entity.name.function.c
// <-------- - support.function
//       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.function-call.c constant.language.callback-status.c
//                                       ^^^^ constant.numeric.c

KeAcquireSpinLock(&lock, &oldIrql); ExFreePoolWithTag(p, 'tag1'); IoGetTopLevelIrp(); RtlCopyMemory(d, s, n); ZwClose(h);
// <----------------- support.function.kernel.c
//                                  ^^^^^^^^^^^^^^^^^ support.function.kernel.c
//                                                                ^^^^^^^^^^^^^^^^ support.function.kernel.c
//                                                                                    ^^^^^^^^^^^^^ support.function.kernel.c
//                                                                                                            ^^^^^^^ support.function.kernel.c

if (KeGetCurrentIrql() > APC_LEVEL && irql != PASSIVE_LEVEL) { irql = DISPATCH_LEVEL; }
// <-- keyword.control.c
//  ^^^^^^^^^^^^^^^^ support.function.kernel.c
//                       ^^^^^^^^^ constant.language.irql.c
//                                            ^^^^^^^^^^^^^ constant.language.irql.c
//                                                                    ^^^^^^^^^^^^^^ constant.language.irql.c

case IRP_MJ_READ: Data->IoStatus.Status = STATUS_CANCELLED; q = HyperCriticalWorkQueue; c = CriticalWorkQueue;
//   ^^^^^^^^^^^ constant.other.irp-major.c
//                      ^^^^^^^^ - support.function
//                                        ^^^^^^^^^^^^^^^^ constant.other.status.c
//                                                              ^^^^^^^^^^^^^^^^^^^^^^ constant.language.work-queue.c
//                                                                                          ^^^^^^^^^^^^^^^^^ constant.language.work-queue.c

// FltCancelIo(Data) in a comment stays a comment: STATUS_SUCCESS
// <------------------------------------------------------------------- comment.line.double-slash.c
//  ^^^^^^^^^^^ - support.function.flt.c
//                                                 ^^^^^^^^^^^^^^ - constant.other.status.c

DbgPrint("FltCancelIo(%p) STATUS_PENDING at PASSIVE_LEVEL\n", Data);
// <-------- support.function.kernel.c
//        ^^^^^^^^^^^ string.quoted.double.c
//        ^^^^^^^^^^^ - support.function.flt.c
//                    ^^^^^^^^^^^^^^ - constant.other.status.c
//                                   ^^^^^^^^^^^^^ - constant.language.irql.c

/* FLT_PREOP_COMPLETE inside a block comment */
//  ^^^^^^^^^^^^^^^^^^ comment.block.c
//  ^^^^^^^^^^^^^^^^^^ - constant.language.callback-status.c

Kernel(x); Exit(y); Iostat(z); FltObjectsCount = 1;
// <------ entity.name.function.c
// <------ - support.function
//         ^^^^ - support.function
//                  ^^^^^^ - support.function
//                             ^^^^^^^^^^^^^^^ - support.function
