"""Makes the RSA reference vectors for RsaKeyEncryptionKeyTest, independently of the JDK.

pyca/cryptography (OpenSSL) generates a 3072-bit test key and wraps a fixed 32-byte content key with
RSA-OAEP-256 (OAEP SHA-256, MGF1-SHA-256), with OAEP SHA-256 but MGF1-SHA-1 (what the JDK's
"OAEPWithSHA-256AndMGF1Padding" does by default, which must NOT unwrap as RSA-OAEP-256), with RSA-OAEP
(SHA-1) and with RSA1_5. The results were checked with
`openssl pkeyutl -decrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:... -pkeyopt rsa_mgf1_md:...`.
Run from this folder: python3 make-rsa-reference.py (a rerun makes a new key and new wraps).
"""
import base64
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64url(i):
    return base64.urlsafe_b64encode(i.to_bytes((i.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()


key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
pn = key.private_numbers()
jwk = {"kty": "RSA", "kid": "test:rsa3072", "key_ops": ["wrapKey", "unwrapKey"],
       "n": b64url(pn.public_numbers.n), "e": b64url(pn.public_numbers.e), "d": b64url(pn.d),
       "p": b64url(pn.p), "q": b64url(pn.q), "dp": b64url(pn.dmp1), "dq": b64url(pn.dmq1), "qi": b64url(pn.iqmp)}
content_key = bytes(range(0xA0, 0xC0))


def wrap(pad):
    return base64.b64encode(key.public_key().encrypt(content_key, pad)).decode()


def oaep(digest, mgf_digest):
    return padding.OAEP(mgf=padding.MGF1(mgf_digest), algorithm=digest, label=None)


wraps = {
    "_comment": "Made by make-rsa-reference.py with pyca/cryptography (OpenSSL), independently of the JDK, and "
                "checked with `openssl pkeyutl -decrypt`. Test-only key: never use it for data.",
    "key_file": "rsa3072-reference-key.jwk.json",
    "content_key_hex": content_key.hex(),
    "RSA-OAEP-256": wrap(oaep(hashes.SHA256(), hashes.SHA256())),
    "RSA-OAEP-256 with MGF1-SHA-1 (the JDK default, not JWA)": wrap(oaep(hashes.SHA256(), hashes.SHA1())),
    "RSA-OAEP": wrap(oaep(hashes.SHA1(), hashes.SHA1())),
    "RSA1_5": wrap(padding.PKCS1v15()),
}
with open("rsa3072-reference-key.jwk.json", "w") as f:
    f.write(json.dumps(jwk, indent=2) + "\n")
with open("rsa3072-reference-wraps.json", "w") as f:
    f.write(json.dumps(wraps, indent=2) + "\n")
