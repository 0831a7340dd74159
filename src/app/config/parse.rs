//! Reading one setting's text into its value, and collecting what is wrong with each instead of
//! stopping at the first.

use std::net::IpAddr;
use std::time::Duration;

use axum::http::HeaderValue;
use secrecy::SecretString;
use url::Url;

use crate::ai::ReasoningEffort;

/// The problems found so far, each prefixed with its setting's name.
#[derive(Default)]
pub struct Problems(pub Vec<String>);

impl Problems {
    pub fn add(&mut self, problem: String) {
        self.0.push(problem);
    }

    pub fn parse<T>(
        &mut self,
        name: &str,
        input: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        self.check(name, parse(input))
    }

    pub fn check<T>(&mut self, name: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|e| self.add(format!("{name}: {e}"))).ok()
    }
}

pub fn positive<T: std::str::FromStr + PartialOrd + Default>(v: &str) -> Result<T, String> {
    match v.parse::<T>() {
        Ok(n) if n > T::default() => Ok(n),
        _ => Err("must be a whole number above 0".into()),
    }
}

/// An optional setting: unset and blank are the same.
pub fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub fn secret(value: &Option<String>) -> Option<SecretString> {
    nonempty(value).map(|v| SecretString::from(v.to_owned()))
}

pub fn duration(v: &str) -> Result<Duration, String> {
    match humantime::parse_duration(v) {
        Ok(d) if !d.is_zero() => Ok(d),
        Ok(_) => Err("must be longer than zero".into()),
        Err(e) => Err(format!("{e} (expected e.g. 30s, 15m, 24h, 7d)")),
    }
}

pub fn base_url(v: &str) -> Result<String, String> {
    let url =
        Url::parse(v).map_err(|e| format!("{e} (expected e.g. http://127.0.0.1:11434/v1)"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must be an http or https URL".into());
    }
    Ok(v.trim_end_matches('/').to_owned())
}

/// `off`: not sent at all, for models that reject the field.
pub fn reasoning_effort(v: &str) -> Result<Option<ReasoningEffort>, String> {
    Ok(Some(match v.trim() {
        "off" => return Ok(None),
        "none" => ReasoningEffort::None,
        "minimal" => ReasoningEffort::Minimal,
        "low" => ReasoningEffort::Low,
        "medium" => ReasoningEffort::Medium,
        "high" => ReasoningEffort::High,
        other => {
            return Err(format!(
                "{other:?} is not one of off, none, minimal, low, medium, high"
            ));
        }
    }))
}

pub fn app_url(v: &str) -> Result<Url, String> {
    let url = Url::parse(v).map_err(|e| format!("{e} (expected e.g. https://fursona.example)"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("must be an http or https URL with a host".into());
    }
    Ok(url)
}

pub fn origins(v: &str) -> Result<Vec<HeaderValue>, String> {
    v.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|origin| {
            let url = Url::parse(origin).map_err(|_| format!("{origin:?} is not an origin"))?;
            let serialized = url.origin().ascii_serialization();
            if serialized != origin.trim_end_matches('/') {
                return Err(format!(
                    "{origin:?} is not an origin (scheme://host[:port])"
                ));
            }
            HeaderValue::from_str(&serialized).map_err(|e| e.to_string())
        })
        .collect()
}

/// "10.0.0.1, 172.16.0.0/12": single addresses become /32 or /128 networks.
pub fn networks(v: &str) -> Result<Vec<ipnet::IpNet>, String> {
    v.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| {
            n.parse::<ipnet::IpNet>()
                .or_else(|_| n.parse::<IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("{n:?} is not an address or a network like 10.0.0.0/8"))
        })
        .collect()
}
