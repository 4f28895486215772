"""Independent check of a PEP 740 attestation with PyPI's own library (pypi-attestations).

Usage: check_attestation.py DIST ATTESTATION

Parses the attestation as PyPI does, converts it back to a Sigstore bundle (certificate, Rekor
entry, DSSE envelope), and checks that its statement names DIST with DIST's SHA256 and PyPI's
publish predicate. The signature itself is verified against the local Sigstore's trust root by
the TypeScript side: pypi-attestations verifies only against sigstore.dev's.
"""

import sys
from pathlib import Path

from pypi_attestations import Attestation, AttestationType, Distribution


def main() -> int:
    dist = Distribution.from_file(Path(sys.argv[1]))
    attestation = Attestation.model_validate_json(Path(sys.argv[2]).read_bytes())
    bundle = attestation.to_bundle()
    if Attestation.from_bundle(bundle) != attestation:
        print("bundle round trip changed the attestation", file=sys.stderr)
        return 1
    statement = attestation.statement
    if statement["predicateType"] != AttestationType.PYPI_PUBLISH_V1.value:
        print(f"wrong predicate type {statement['predicateType']}", file=sys.stderr)
        return 1
    (subject,) = statement["subject"]
    if subject["name"] != dist.name:
        print(f"subject name {subject['name']} is not {dist.name}", file=sys.stderr)
        return 1
    if subject["digest"]["sha256"] != dist.digest:
        print(f"subject digest {subject['digest']['sha256']} is not {dist.digest}", file=sys.stderr)
        return 1
    print(f"subject ok: {subject['name']} {dist.digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
