/**
 * Prelude: session notifications (wdm.h) — IoRegisterContainerNotification for session state
 * changes, IoGetContainerInformation, and the IO_SESSION_* types and event bits they use.
 * Layouts are checked against mingw-w64's wdm.h (test/fixtures/wdk-layouts.tsv).
 */
export const SESSIONS_H = String.raw`
#ifndef _FLTSIM_SESSIONS_
#define _FLTSIM_SESSIONS_
typedef enum _IO_SESSION_STATE {
    IoSessionStateCreated = 1, IoSessionStateInitialized, IoSessionStateConnected, IoSessionStateDisconnected,
    IoSessionStateDisconnectedLoggedOn, IoSessionStateLoggedOn, IoSessionStateLoggedOff, IoSessionStateTerminated, IoSessionStateMax
} IO_SESSION_STATE, *PIO_SESSION_STATE;
typedef enum _IO_SESSION_EVENT {
    IoSessionEventIgnore = 0, IoSessionEventCreated, IoSessionEventTerminated, IoSessionEventConnected,
    IoSessionEventDisconnected, IoSessionEventLogon, IoSessionEventLogoff, IoSessionEventMax
} IO_SESSION_EVENT, *PIO_SESSION_EVENT;
typedef enum _IO_CONTAINER_NOTIFICATION_CLASS { IoSessionStateNotification, IoMaxContainerNotificationClass } IO_CONTAINER_NOTIFICATION_CLASS;
typedef enum _IO_CONTAINER_INFORMATION_CLASS { IoSessionStateInformation, IoMaxContainerInformationClass } IO_CONTAINER_INFORMATION_CLASS;
typedef struct _IO_SESSION_STATE_NOTIFICATION {
    ULONG Size;
    ULONG Flags;
    PVOID IoObject;
    ULONG EventMask;
    PVOID Context;
} IO_SESSION_STATE_NOTIFICATION, *PIO_SESSION_STATE_NOTIFICATION;
typedef struct _IO_SESSION_STATE_INFORMATION {
    ULONG SessionId;
    IO_SESSION_STATE SessionState;
    BOOLEAN LocalSession;
} IO_SESSION_STATE_INFORMATION, *PIO_SESSION_STATE_INFORMATION;
typedef struct _IO_SESSION_CONNECT_INFO { ULONG SessionId; BOOLEAN LocalSession; } IO_SESSION_CONNECT_INFO, *PIO_SESSION_CONNECT_INFO;
#define IO_SESSION_STATE_ALL_EVENTS 0xffffffff
#define IO_SESSION_STATE_CREATION_EVENT 0x00000001
#define IO_SESSION_STATE_TERMINATION_EVENT 0x00000002
#define IO_SESSION_STATE_CONNECT_EVENT 0x00000004
#define IO_SESSION_STATE_DISCONNECT_EVENT 0x00000008
#define IO_SESSION_STATE_LOGON_EVENT 0x00000010
#define IO_SESSION_STATE_LOGOFF_EVENT 0x00000020
#define IO_SESSION_STATE_VALID_EVENT_MASK 0x0000003f
#define IO_SESSION_MAX_PAYLOAD_SIZE 256L
typedef NTSTATUS (*PIO_CONTAINER_NOTIFICATION_FUNCTION)(void);
typedef NTSTATUS IO_SESSION_NOTIFICATION_FUNCTION(PVOID SessionObject, PVOID IoObject, ULONG Event, PVOID Context, PVOID NotificationPayload, ULONG PayloadLength);
typedef IO_SESSION_NOTIFICATION_FUNCTION *PIO_SESSION_NOTIFICATION_FUNCTION;
/* The WDK types CallbackRegistration as PVOID; it receives the registration (a PVOID *). */
NTSTATUS IoRegisterContainerNotification(IO_CONTAINER_NOTIFICATION_CLASS NotificationClass, PIO_CONTAINER_NOTIFICATION_FUNCTION CallbackFunction, PVOID NotificationInformation, ULONG NotificationInformationLength, PVOID *CallbackRegistration);
void IoUnregisterContainerNotification(PVOID CallbackRegistration);
NTSTATUS IoGetContainerInformation(IO_CONTAINER_INFORMATION_CLASS InformationClass, PVOID ContainerObject, PVOID Buffer, ULONG BufferLength);
#endif
`;
