//! The client's real address: the peer, or, when the peer is a trusted reverse proxy, the last
//! address in `X-Forwarded-For` that is not itself a trusted proxy. Throttling and the access log
//! use it; from untrusted peers the header is ignored, so nobody can pick their own address.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::error::AppError;
use crate::state::AppState;

pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| AppError::internal("the server runs without connection info"))?;
        Ok(ClientAddr(client_addr(
            peer,
            &parts.headers,
            &state.web.trusted_proxies,
        )))
    }
}

pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    // Proxies append; walk back from the nearest until an address we do not run.
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|ip| ip.trim().parse::<IpAddr>().ok())
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", xff.parse().expect("header"));
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn an_untrusted_peer_cannot_choose_its_address() {
        let trusted = ["10.0.0.0/8".parse().expect("net")];
        assert_eq!(
            client_addr(ip("203.0.113.9"), &headers("1.2.3.4"), &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_address_is_the_client() {
        let trusted = ["10.0.0.0/8".parse().expect("net")];
        let forwarded = headers("6.6.6.6, 198.51.100.7, 10.0.0.2");
        assert_eq!(
            client_addr(ip("10.0.0.1"), &forwarded, &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_addr(ip("10.0.0.1"), &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
    }
}
