//! Keys of the integrator gateway (issue 12): an integrator's registered public
//! key — RSA of 2048 bits or more (RSASSA-PKCS1-v1_5 with SHA-256) or Ed25519 —
//! that verifies its requests, and the platform's Ed25519 key that signs
//! responses and notifications (merchants download its public half). What is
//! signed is `domain::gateway::canonical`.

use base64::Engine;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePublicKey as _, EncodePublicKey as _};
use ed25519_dalek::{Signer as _, Verifier as _};
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::traits::PublicKeyParts as _;
use sha2::{Digest, Sha256};

/// The fewest bits an RSA key may have.
pub const RSA_MIN_BITS: usize = 2048;

/// An integrator's public key.
#[derive(Debug, Clone)]
pub enum PublicKey {
    Rsa(rsa::RsaPublicKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

/// Why a PEM can't be registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    /// Not a PEM public key of a kind Paydesk takes.
    Unreadable,
    /// An RSA key under [`RSA_MIN_BITS`].
    TooWeak,
}

impl KeyProblem {
    pub fn code(self) -> &'static str {
        match self {
            KeyProblem::Unreadable => "public_key_invalid",
            KeyProblem::TooWeak => "public_key_too_weak",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            KeyProblem::Unreadable => "paste a PEM public key (RSA or Ed25519), -----BEGIN PUBLIC KEY----- …",
            KeyProblem::TooWeak => "an RSA key has at least 2048 bits",
        }
    }
}

fn decode_signature(b64: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok()
}

impl PublicKey {
    /// Reads a PEM public key: SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`) for
    /// either kind, or PKCS#1 (`BEGIN RSA PUBLIC KEY`).
    pub fn from_pem(pem: &str) -> Result<PublicKey, KeyProblem> {
        let pem = pem.trim();
        let key = if let Ok(k) = ed25519_dalek::VerifyingKey::from_public_key_pem(pem) {
            PublicKey::Ed25519(k)
        } else if let Ok(k) = rsa::RsaPublicKey::from_public_key_pem(pem) {
            PublicKey::Rsa(k)
        } else if let Ok(k) = rsa::RsaPublicKey::from_pkcs1_pem(pem) {
            PublicKey::Rsa(k)
        } else {
            return Err(KeyProblem::Unreadable);
        };
        if let PublicKey::Rsa(k) = &key {
            if k.size() * 8 < RSA_MIN_BITS {
                return Err(KeyProblem::TooWeak);
            }
        }
        Ok(key)
    }

    /// `RSA-2048`, `RSA-4096` or `Ed25519`.
    pub fn algorithm(&self) -> String {
        match self {
            PublicKey::Rsa(k) => format!("RSA-{}", k.size() * 8),
            PublicKey::Ed25519(_) => "Ed25519".into(),
        }
    }

    /// Whether `signature` (base64) signs `message` with this key.
    pub fn verify(&self, message: &[u8], signature: &str) -> bool {
        let Some(bytes) = decode_signature(signature) else { return false };
        match self {
            PublicKey::Rsa(k) => {
                let Ok(sig) = rsa::pkcs1v15::Signature::try_from(bytes.as_slice()) else { return false };
                rsa::pkcs1v15::VerifyingKey::<Sha256>::new(k.clone()).verify(message, &sig).is_ok()
            }
            PublicKey::Ed25519(k) => {
                let Ok(sig) = ed25519_dalek::Signature::from_slice(&bytes) else { return false };
                k.verify_strict(message, &sig).is_ok()
            }
        }
    }
}

/// The platform's signing key.
#[derive(Clone)]
pub struct PlatformKey(ed25519_dalek::SigningKey);

impl std::fmt::Debug for PlatformKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlatformKey(…)")
    }
}

impl PlatformKey {
    /// The key from its 32-byte seed (kept in the database's secrets).
    pub fn from_seed(seed: [u8; 32]) -> PlatformKey {
        PlatformKey(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// A key from a secret text of any length (its SHA-256 is the seed).
    pub fn from_secret(secret: &str) -> PlatformKey {
        PlatformKey::from_seed(Sha256::digest(secret.as_bytes()).into())
    }

    /// The signature of `message`, base64.
    pub fn sign(&self, message: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0.sign(message).to_bytes())
    }

    /// The public half as PEM (网关证书 / 公钥下载).
    pub fn public_pem(&self) -> String {
        self.0.verifying_key().to_public_key_pem(LineEnding::LF).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paydesk_domain::gateway::canonical;

    const RSA_PRIVATE: &str = include_str!("../tests/fixtures/integrator-rsa2048.key.pem");
    const RSA_PUBLIC: &str = include_str!("../tests/fixtures/integrator-rsa2048.pub.pem");
    const WEAK_PUBLIC: &str = include_str!("../tests/fixtures/weak-rsa1024.pub.pem");

    fn rsa_sign(message: &[u8]) -> String {
        use rsa::pkcs8::DecodePrivateKey as _;
        use rsa::signature::{SignatureEncoding as _, Signer as _};
        let key = rsa::RsaPrivateKey::from_pkcs8_pem(RSA_PRIVATE).unwrap();
        let sig = rsa::pkcs1v15::SigningKey::<Sha256>::new(key).sign(message);
        base64::engine::general_purpose::STANDARD.encode(sig.to_bytes())
    }

    #[test]
    fn an_rsa_key_verifies_what_its_private_half_signed_and_nothing_else() {
        let key = PublicKey::from_pem(RSA_PUBLIC).unwrap();
        assert_eq!(key.algorithm(), "RSA-2048");
        let message = canonical("POST", "/api/v1/gateway/trades", 1_764_576_000, "0123456789abcdef", b"{}");
        let sig = rsa_sign(&message);
        assert!(key.verify(&message, &sig));
        let other = canonical("POST", "/api/v1/gateway/trades", 1_764_576_001, "0123456789abcdef", b"{}");
        assert!(!key.verify(&other, &sig));
        assert!(!key.verify(&message, "not base64!"));
        assert!(!key.verify(&message, ""));
    }

    #[test]
    fn an_ed25519_key_verifies_and_the_platform_key_round_trips() {
        let platform = PlatformKey::from_secret("test secret");
        let key = PublicKey::from_pem(&platform.public_pem()).unwrap();
        assert_eq!(key.algorithm(), "Ed25519");
        let message = canonical("GET", "/x?y=1", 5, "0123456789abcdef", b"");
        let sig = platform.sign(&message);
        assert!(key.verify(&message, &sig));
        assert!(!key.verify(b"something else", &sig));
        // Another platform secret signs differently.
        assert!(!key.verify(&message, &PlatformKey::from_secret("other").sign(&message)));
    }

    #[test]
    fn weak_and_unreadable_keys_are_refused() {
        assert_eq!(PublicKey::from_pem(WEAK_PUBLIC).unwrap_err(), KeyProblem::TooWeak);
        assert_eq!(
            PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").unwrap_err(),
            KeyProblem::Unreadable
        );
        assert_eq!(
            PublicKey::from_pem(RSA_PRIVATE).unwrap_err(),
            KeyProblem::Unreadable,
            "a private key is not registered"
        );
        assert_ne!(KeyProblem::TooWeak.code(), KeyProblem::Unreadable.code());
    }
}
