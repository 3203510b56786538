// The app's own GraphQL API, called with the dashboard's token (app-sdk createAuthenticatedFetch).
import { context, getToken } from "./bridge.js";
import { t } from "./i18n.js";

const endpoint = document.body.dataset.graphqlUrl || "/graphql";

export class ApiError extends Error {
  constructor(message, code) { super(message); this.code = code; }
}

export async function gql(query, variables = {}) {
  const token = await getToken();
  let response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "authorization-bearer": token,
        "saleor-api-url": context.saleorApiUrl,
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError(t("api.unreachable"), "NETWORK");
  }
  let body;
  try { body = await response.json(); } catch { throw new ApiError(t("api.http", { status: response.status }), "HTTP"); }
  if (body.errors && body.errors.length) {
    throw new ApiError(body.errors.map((e) => e.message).join("; "), body.errors[0].extensions?.code);
  }
  return body.data;
}
