/**
 * Prelude: calendar time (TIME_FIELDS) for drivers that stamp their logs. The conversions are plain
 * arithmetic, so they are C here. The simulated machine keeps its clock in UTC, so local time is
 * system time (ExSystemTimeToLocalTime copies it).
 */
export const TIMEFIELDS_H = String.raw`
#ifndef _FLTSIM_TIMEFIELDS_
#define _FLTSIM_TIMEFIELDS_

typedef struct _TIME_FIELDS {
    CSHORT Year;
    CSHORT Month;
    CSHORT Day;
    CSHORT Hour;
    CSHORT Minute;
    CSHORT Second;
    CSHORT Milliseconds;
    CSHORT Weekday;
} TIME_FIELDS, *PTIME_FIELDS;

/* Days from 1601-01-01 to 1970-01-01, and from 0000-03-01 to 1970-01-01 in the proleptic calendar. */
#define _FLTSIM_DAYS_1601_TO_1970 134774LL
#define _FLTSIM_DAYS_0000_03_TO_1970 719468LL
#define _FLTSIM_MS_PER_DAY 86400000LL

VOID ExSystemTimeToLocalTime(PLARGE_INTEGER SystemTime, PLARGE_INTEGER LocalTime) {
    LocalTime->QuadPart = SystemTime->QuadPart;
}

VOID ExLocalTimeToSystemTime(PLARGE_INTEGER LocalTime, PLARGE_INTEGER SystemTime) {
    SystemTime->QuadPart = LocalTime->QuadPart;
}

VOID RtlTimeToTimeFields(PLARGE_INTEGER Time, PTIME_FIELDS TimeFields) {
    LONGLONG ms = Time->QuadPart / 10000;
    LONGLONG days = ms / _FLTSIM_MS_PER_DAY;
    LONGLONG rest = ms % _FLTSIM_MS_PER_DAY;
    LONGLONG z, era, dayOfEra, yearOfEra, dayOfYear, mp, year, month;
    TimeFields->Milliseconds = (CSHORT)(rest % 1000);
    rest /= 1000;
    TimeFields->Second = (CSHORT)(rest % 60);
    rest /= 60;
    TimeFields->Minute = (CSHORT)(rest % 60);
    TimeFields->Hour = (CSHORT)(rest / 60);
    /* 1601-01-01 was a Monday; Sunday is 0. */
    TimeFields->Weekday = (CSHORT)((days + 1) % 7);
    /* The civil date from a day count, counted in 400-year eras that start on 1 March. */
    z = days - _FLTSIM_DAYS_1601_TO_1970 + _FLTSIM_DAYS_0000_03_TO_1970;
    era = z / 146097;
    dayOfEra = z - era * 146097;
    yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    mp = (5 * dayOfYear + 2) / 153;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    TimeFields->Year = (CSHORT)year;
    TimeFields->Month = (CSHORT)month;
    TimeFields->Day = (CSHORT)(dayOfYear - (153 * mp + 2) / 5 + 1);
}

BOOLEAN RtlTimeFieldsToTime(PTIME_FIELDS TimeFields, PLARGE_INTEGER Time) {
    static const CSHORT monthDays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    LONGLONG y = TimeFields->Year, m = TimeFields->Month, d = TimeFields->Day;
    LONGLONG era, yearOfEra, dayOfYear, dayOfEra, days;
    BOOLEAN leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1601 || m < 1 || m > 12 || d < 1 || d > monthDays[m - 1] || (m == 2 && d == 29 && !leap)) return FALSE;
    if (TimeFields->Hour < 0 || TimeFields->Hour > 23 || TimeFields->Minute < 0 || TimeFields->Minute > 59 ||
        TimeFields->Second < 0 || TimeFields->Second > 59 || TimeFields->Milliseconds < 0 || TimeFields->Milliseconds > 999) return FALSE;
    if (m <= 2) y -= 1;
    era = y / 400;
    yearOfEra = y - era * 400;
    dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    days = era * 146097 + dayOfEra - _FLTSIM_DAYS_0000_03_TO_1970 + _FLTSIM_DAYS_1601_TO_1970;
    Time->QuadPart = ((((days * 24 + TimeFields->Hour) * 60 + TimeFields->Minute) * 60 + TimeFields->Second) * 1000 + TimeFields->Milliseconds) * 10000;
    return TRUE;
}

/* Seconds since 1970 (or 1980) in a ULONG: FALSE for a time before the epoch or past what 32 bits hold. */
#define _FLTSIM_TICKS_1601_TO_1970 (_FLTSIM_DAYS_1601_TO_1970 * 86400LL * 10000000LL)
#define _FLTSIM_TICKS_1601_TO_1980 ((_FLTSIM_DAYS_1601_TO_1970 + 3652LL) * 86400LL * 10000000LL)

BOOLEAN _FltsimTimeToSecondsSince(LONGLONG Epoch, PLARGE_INTEGER Time, PULONG ElapsedSeconds) {
    LONGLONG seconds;
    if (Time->QuadPart < Epoch) return FALSE;
    seconds = (Time->QuadPart - Epoch) / 10000000LL;
    if (seconds > 0xFFFFFFFFLL) return FALSE;
    *ElapsedSeconds = (ULONG)seconds;
    return TRUE;
}

BOOLEAN RtlTimeToSecondsSince1970(PLARGE_INTEGER Time, PULONG ElapsedSeconds) {
    return _FltsimTimeToSecondsSince(_FLTSIM_TICKS_1601_TO_1970, Time, ElapsedSeconds);
}

BOOLEAN RtlTimeToSecondsSince1980(PLARGE_INTEGER Time, PULONG ElapsedSeconds) {
    return _FltsimTimeToSecondsSince(_FLTSIM_TICKS_1601_TO_1980, Time, ElapsedSeconds);
}

VOID RtlSecondsSince1970ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time) {
    Time->QuadPart = _FLTSIM_TICKS_1601_TO_1970 + (LONGLONG)ElapsedSeconds * 10000000LL;
}

VOID RtlSecondsSince1980ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time) {
    Time->QuadPart = _FLTSIM_TICKS_1601_TO_1980 + (LONGLONG)ElapsedSeconds * 10000000LL;
}

#endif
`;
