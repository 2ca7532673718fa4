//! Calendar dates and reporting periods, with no dependency beyond std.
//!
//! A plan year, a deadline and an as-of date are civil dates (`Date`); a return
//! covers a month (`Period`, written `YYYY-MM`). Day arithmetic uses the
//! proleptic Gregorian calendar through a day number, so that elapsed-time
//! shares (序时进度) are exact and need no time-zone library.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A civil date (year, month, day).
///
/// ```
/// use taizhang::domain::Date;
/// let d: Date = "2023-06-30".parse().unwrap();
/// assert_eq!(d.day_number() - Date::new(2023, 1, 1).unwrap().day_number(), 180);
/// assert_eq!(d.to_string(), "2023-06-30");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

/// Why a date or period string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month of a year.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date, or `None` if the day does not exist.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// 31 December of `year`: the default deadline of a plan's indicators.
    pub fn end_of_year(year: i32) -> Date {
        Date {
            year,
            month: 12,
            day: 31,
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u32 {
        self.month
    }
    pub fn day(self) -> u32 {
        self.day
    }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's `days_from_civil`.
    pub fn day_number(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date of a day number (inverse of [`Date::day_number`]).
    pub fn from_day_number(z: i64) -> Date {
        let z = z + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date `days` days later (earlier when negative).
    pub fn add_days(self, days: i64) -> Date {
        Date::from_day_number(self.day_number() + days)
    }

    /// Days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.day_number() - self.day_number()
    }

    /// The month this date falls in.
    pub fn period(self) -> Period {
        Period {
            year: self.year,
            month: self.month,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn parse_num<T: FromStr>(s: &str, what: &str, input: &str) -> Result<T, DateError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError(format!("'{input}' is not a valid {what}")));
    }
    s.parse()
        .map_err(|_| DateError(format!("'{input}' is not a valid {what}")))
}

impl FromStr for Date {
    type Err = DateError;

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYY.MM.DD`).
    fn from_str(s: &str) -> Result<Date, DateError> {
        let t = s.trim();
        let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
        if parts.len() != 3 || parts[0].len() != 4 {
            return Err(DateError(format!(
                "'{s}' is not a date (expected YYYY-MM-DD)"
            )));
        }
        let y: i32 = parse_num(parts[0], "date", s)?;
        let m: u32 = parse_num(parts[1], "date", s)?;
        let d: u32 = parse_num(parts[2], "date", s)?;
        Date::new(y, m, d).ok_or_else(|| DateError(format!("'{s}' is not a day of the calendar")))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A reporting period: one month, written `YYYY-MM`. A return's values run up to
/// the end of its period.
///
/// ```
/// use taizhang::domain::Period;
/// let p: Period = "2023-02".parse().unwrap();
/// assert_eq!(p.last_day().to_string(), "2023-02-28");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    pub fn new(year: i32, month: u32) -> Option<Period> {
        (1..=12).contains(&month).then_some(Period { year, month })
    }
    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u32 {
        self.month
    }
    /// The first day of the month.
    pub fn first_day(self) -> Date {
        Date {
            year: self.year,
            month: self.month,
            day: 1,
        }
    }
    /// The last day of the month: the date a return's figures stand at.
    pub fn last_day(self) -> Date {
        Date {
            year: self.year,
            month: self.month,
            day: days_in_month(self.year, self.month),
        }
    }
    /// The month after.
    pub fn next(self) -> Period {
        if self.month == 12 {
            Period {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Period {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
    /// How many months from this period to `later` (negative when `later`
    /// is earlier): 2023-06 → 2023-12 is 6.
    pub fn months_until(self, later: Period) -> i32 {
        (later.year - self.year) * 12 + later.month as i32 - self.month as i32
    }
    /// The month before.
    pub fn previous(self) -> Period {
        if self.month == 1 {
            Period {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Period {
                year: self.year,
                month: self.month - 1,
            }
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Period {
    type Err = DateError;

    /// Parses `YYYY-MM` (also `YYYY/MM`, `YYYY.MM`, `YYYYMM`).
    fn from_str(s: &str) -> Result<Period, DateError> {
        let t = s.trim();
        let (y, m) = if let Some((y, m)) = t.split_once(['-', '/', '.']) {
            (y, m)
        } else if t.len() == 6 && t.is_ascii() {
            t.split_at(4)
        } else {
            return Err(DateError(format!(
                "'{s}' is not a period (expected YYYY-MM)"
            )));
        };
        if y.len() != 4 {
            return Err(DateError(format!(
                "'{s}' is not a period (expected YYYY-MM)"
            )));
        }
        let year: i32 = parse_num(y, "period", s)?;
        let month: u32 = parse_num(m, "period", s)?;
        Period::new(year, month)
            .ok_or_else(|| DateError(format!("'{s}' is not a period: month must be 01-12")))
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_across_leap_years_and_eras() {
        for z in [-800_000_i64, -1, 0, 1, 19_000, 19_358, 19_723, 60_000] {
            assert_eq!(Date::from_day_number(z).day_number(), z);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().day_number(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().day_number(), 11_017);
        assert_eq!(
            Date::new(2024, 2, 28).unwrap().add_days(1),
            Date::new(2024, 2, 29).unwrap()
        );
        assert_eq!(
            Date::new(2023, 2, 28).unwrap().add_days(1),
            Date::new(2023, 3, 1).unwrap()
        );
    }

    #[test]
    fn parsing_refuses_impossible_dates_and_periods() {
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2023-13-01".parse::<Date>().is_err());
        assert!("23-01-01".parse::<Date>().is_err());
        assert!("2023-1x-01".parse::<Date>().is_err());
        assert_eq!(
            "2023/6/30".parse::<Date>().unwrap().to_string(),
            "2023-06-30"
        );
        assert_eq!("2023-6".parse::<Period>().unwrap().to_string(), "2023-06");
        assert_eq!("202309".parse::<Period>().unwrap().to_string(), "2023-09");
        assert!("2023-00".parse::<Period>().is_err());
        assert!("2023".parse::<Period>().is_err());
        assert!("２０２３-06".parse::<Period>().is_err());
    }

    #[test]
    fn periods_know_their_days() {
        let p: Period = "2024-02".parse().unwrap();
        assert_eq!(p.last_day().to_string(), "2024-02-29");
        assert_eq!(p.previous().to_string(), "2024-01");
        assert_eq!(p.next().to_string(), "2024-03");
        assert_eq!(
            "2023-12".parse::<Period>().unwrap().next().to_string(),
            "2024-01"
        );
        assert_eq!(p.months_until("2023-11".parse().unwrap()), -3);
        assert_eq!(p.months_until("2025-02".parse().unwrap()), 12);
        assert_eq!(
            "2024-01".parse::<Period>().unwrap().previous().to_string(),
            "2023-12"
        );
    }
}
