import { GraphQLError } from "graphql";

/** GitHub's GraphQL error types (NOT_FOUND, FORBIDDEN, STALE_DATA, UNPROCESSABLE, …), printed as `type`. */
export class GitHubGraphqlError extends GraphQLError {
  constructor(
    readonly githubType: string,
    message: string,
  ) {
    super(message);
    this.name = "GitHubGraphqlError";
  }
}

/** How GitHub prints one error: message, locations, path, and `type` or `extensions.code`. */
export function formatGraphqlError(error: GraphQLError): Record<string, unknown> {
  const original = error.originalError;
  const formatted: Record<string, unknown> = {};
  if (original instanceof GitHubGraphqlError) formatted.type = original.githubType;
  else if (error instanceof GitHubGraphqlError) formatted.type = error.githubType;
  if (error.path) formatted.path = error.path;
  const undefinedField = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(error.message);
  if (undefinedField) {
    formatted.extensions = { code: "undefinedField", typeName: undefinedField[2], fieldName: undefinedField[1] };
  }
  if (error.locations) formatted.locations = error.locations;
  formatted.message = undefinedField ? `Field '${undefinedField[1]}' doesn't exist on type '${undefinedField[2]}'` : error.message;
  return formatted;
}
