export const id = 173;
export const ids = [173];
export const modules = {

/***/ 2173:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  attestDistributions: () => (/* binding */ attestDistributions)
});

// UNUSED EXPORTS: attestationPath

// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(2300);
// EXTERNAL MODULE: ./node_modules/.pnpm/@sigstore+bundle@4.0.0/node_modules/@sigstore/bundle/dist/index.js
var dist = __webpack_require__(5756);
// EXTERNAL MODULE: ./node_modules/.pnpm/@sigstore+sign@4.1.1_supports-color@8.1.1/node_modules/@sigstore/sign/dist/index.js
var sign_dist = __webpack_require__(1771);
;// CONCATENATED MODULE: ./actions/publish/src/pep740.ts
/**
 * PEP 740 attestations: what is signed for a distribution (an in-toto statement naming the file
 * and its SHA256, with PyPI's publish predicate, in a DSSE envelope) and how a Sigstore bundle
 * becomes the attestation object the upload's `attestations` field and the integrity API carry.
 * Shapes as in PEP 740 and pypi-attestations (`Attestation.from_bundle`): the certificate as
 * base64 DER, the Rekor entries as in the bundle, the statement and signature base64.
 */
const PUBLISH_PREDICATE = 'https://docs.pypi.org/attestations/publish/v1';
const IN_TOTO_STATEMENT = 'https://in-toto.io/Statement/v1';
/** The DSSE payload type of an in-toto statement. */
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** The statement signed for one distribution: its filename and SHA256, and no predicate body. */
function publishStatement(file) {
    const statement = {
        _type: IN_TOTO_STATEMENT,
        subject: [{ name: file.filename, digest: { sha256: file.sha256 } }],
        predicateType: PUBLISH_PREDICATE,
        predicate: null,
    };
    return Buffer.from(JSON.stringify(statement), 'utf8');
}
/**
 * Proto3 JSON leaves out fields holding their default value (a first entry's `logIndex` 0, an
 * empty `hashes` list); PyPI's models require them, so they are spelled out.
 */
function withInclusionProofDefaults(entry) {
    const proof = entry.inclusionProof;
    if (!proof)
        return entry;
    return {
        ...entry,
        inclusionProof: { logIndex: '0', hashes: [], ...proof },
    };
}
/** Turns a Sigstore bundle (JSON) of a DSSE-signed statement into a PEP 740 attestation. */
function toAttestation(bundle) {
    const b = bundle;
    const envelope = b.dsseEnvelope;
    if (!envelope?.payload)
        throw new Error('the Sigstore bundle holds no DSSE envelope');
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
        throw new Error(`the DSSE envelope holds ${envelope.payloadType ?? 'nothing'}, not an in-toto statement`);
    if (envelope.signatures?.length !== 1 || !envelope.signatures[0]?.sig)
        throw new Error(`expected exactly one signature, got ${envelope.signatures?.length ?? 0}`);
    const material = b.verificationMaterial;
    const certificate = material?.certificate?.rawBytes ?? material?.x509CertificateChain?.certificates?.[0]?.rawBytes;
    if (!certificate)
        throw new Error('the Sigstore bundle holds no signing certificate');
    const entries = (material?.tlogEntries ?? []).map(withInclusionProofDefaults);
    if (entries.length === 0)
        throw new Error('the Sigstore bundle holds no transparency log entry');
    return {
        version: 1,
        verification_material: { certificate, transparency_entries: entries },
        envelope: { statement: envelope.payload, signature: envelope.signatures[0].sig },
    };
}
/** The statement inside an attestation. */
function attestedStatement(attestation) {
    return JSON.parse(Buffer.from(attestation.envelope.statement, 'base64').toString('utf8'));
}

;// CONCATENATED MODULE: ./actions/publish/src/attest.ts
/**
 * Keyless signing of PEP 740 attestations with sigstore-js (@sigstore/sign, the library npm uses
 * for provenance): for each distribution, the publish statement goes in a DSSE envelope signed
 * with an ephemeral key whose certificate Fulcio issues for this job's GitHub OIDC identity; Rekor
 * logs the signature (the PEP 740 object carries that entry); optionally a timestamp authority
 * countersigns. The same code on Linux, macOS and Windows: plain HTTPS and Node's crypto, no
 * binary, no container. Loaded only when attesting (run.ts imports it lazily).
 */




/** `dist/x.whl` → `dist/x.whl.publish.attestation`, the name pypi-attestations and uv read. */
function attestationPath(distPath) {
    return `${distPath}.publish.attestation`;
}
function builder(options) {
    // One OIDC token serves every file (Fulcio certificates are per signature, tokens need not be).
    let token;
    const identityProvider = {
        getToken: () => {
            token ??= options.identityToken();
            return token;
        },
    };
    const fetchOptions = { timeout: options.timeoutMs ?? 60_000, retry: options.retries ?? 2 };
    const witnesses = [
        new sign_dist/* RekorWitness */.fU({
            rekorBaseURL: options.urls.rekor,
            entryType: 'dsse',
            fetchOnConflict: true,
            ...fetchOptions,
        }),
    ];
    if (options.urls.tsa)
        witnesses.push(new sign_dist/* TSAWitness */.gs({ tsaBaseURL: options.urls.tsa, ...fetchOptions }));
    return new sign_dist/* DSSEBundleBuilder */.VV({
        signer: new sign_dist/* FulcioSigner */.$o({ identityProvider, fulcioBaseURL: options.urls.fulcio, ...fetchOptions }),
        witnesses,
    });
}
/** Why sigstore-js failed, with its cause (an HTTP error from a service). */
function reason(thrown) {
    if (thrown instanceof errors/* UserError */.yo)
        throw thrown;
    const parts = [];
    for (let e = thrown; e && parts.length < 3; e = e.cause)
        parts.push((0,errors/* messageOf */.bD)(e));
    return parts.join(': ');
}
/** Signs every file's publish statement and writes `<file>.publish.attestation` beside it. */
async function attestDistributions(options) {
    const sign = builder(options);
    const attested = [];
    for (const file of options.files) {
        let bundle;
        try {
            bundle = (0,dist.bundleToJSON)(await sign.create({ data: publishStatement(file), type: IN_TOTO_PAYLOAD_TYPE }));
        }
        catch (thrown) {
            throw new errors/* UserError */.yo(`Signing the attestation of ${file.filename} with Sigstore failed: ${reason(thrown)}. Fulcio (${options.urls.fulcio}) and Rekor (${options.urls.rekor}) must be reachable from the runner, and the job needs 'permissions: id-token: write'. Run the job again, or set 'attestations: false' to publish without attestations.`);
        }
        const attestation = toAttestation(bundle);
        const target = attestationPath(file.path);
        options.write(target, `${JSON.stringify(attestation)}\n`);
        attested.push({ filename: file.filename, path: target, attestation, bundle });
    }
    return attested;
}


/***/ })

};
