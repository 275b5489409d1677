// SYNTAX TEST "source.cpp" "fltsim names injected into C++"

auto status = FltCbdqInsertIo(&queue, Data, &ctx->Csq, NULL);
//            ^^^^^^^^^^^^^^^ support.function.flt.c
//                                                     ^^^^ - support.function

if (status == STATUS_FLT_CBDQ_DISABLED) { return FLT_PREOP_SUCCESS_NO_CALLBACK; }
//            ^^^^^^^^^^^^^^^^^^^^^^^^ constant.other.status.c
//                                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ constant.language.callback-status.c

// FltCbdqInsertIo in a comment
//^^^^^^^^^^^^^^^ - support.function.flt.c
