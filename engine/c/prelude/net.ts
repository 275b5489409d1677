/**
 * Prelude: socket addresses (ws2def.h/ws2ipdef.h, reached through wsk.h), which network create
 * contexts (SRV_OPEN_ECP_CONTEXT, NFS_OPEN_ECP_CONTEXT) point at, and the address-to-text routines.
 */
export const NET_H = String.raw`
#ifndef _FLTSIM_NET_
#define _FLTSIM_NET_

typedef USHORT ADDRESS_FAMILY;
#define AF_UNSPEC 0
#define AF_INET 2
#define AF_INET6 23
typedef struct in_addr {
    union {
        struct { UCHAR s_b1; UCHAR s_b2; UCHAR s_b3; UCHAR s_b4; } S_un_b;
        struct { USHORT s_w1; USHORT s_w2; } S_un_w;
        ULONG S_addr;
    } S_un;
} IN_ADDR, *PIN_ADDR;
typedef struct in6_addr { union { UCHAR Byte[16]; USHORT Word[8]; } u; } IN6_ADDR, *PIN6_ADDR;
typedef struct sockaddr { ADDRESS_FAMILY sa_family; CHAR sa_data[14]; } SOCKADDR, *PSOCKADDR;
typedef struct sockaddr_in { ADDRESS_FAMILY sin_family; USHORT sin_port; IN_ADDR sin_addr; CHAR sin_zero[8]; } SOCKADDR_IN, *PSOCKADDR_IN;
typedef struct { union { struct { ULONG Zone : 28; ULONG Level : 4; }; ULONG Value; }; } SCOPE_ID, *PSCOPE_ID;
typedef struct sockaddr_in6 {
    ADDRESS_FAMILY sin6_family;
    USHORT sin6_port;
    ULONG sin6_flowinfo;
    IN6_ADDR sin6_addr;
    union { ULONG sin6_scope_id; SCOPE_ID sin6_scope_struct; };
} SOCKADDR_IN6, *PSOCKADDR_IN6, SOCKADDR_IN6_LH, *PSOCKADDR_IN6_LH;
typedef struct sockaddr_storage {
    ADDRESS_FAMILY ss_family;
    CHAR __ss_pad1[6];
    LONGLONG __ss_align;
    CHAR __ss_pad2[112];
} SOCKADDR_STORAGE, *PSOCKADDR_STORAGE, SOCKADDR_STORAGE_LH, *PSOCKADDR_STORAGE_LH;

NTSTATUS RtlIpv4AddressToStringExW(const IN_ADDR *Address, USHORT Port, PWSTR AddressString, PULONG AddressStringLength);
NTSTATUS RtlIpv6AddressToStringExW(const IN6_ADDR *Address, ULONG ScopeId, USHORT Port, PWSTR AddressString, PULONG AddressStringLength);
PWSTR RtlIpv4AddressToStringW(const IN_ADDR *Addr, PWSTR S);
#define RtlIpv4AddressToStringEx RtlIpv4AddressToStringExW
#define RtlIpv6AddressToStringEx RtlIpv6AddressToStringExW
#define RtlIpv4AddressToString RtlIpv4AddressToStringW
#endif
`;
