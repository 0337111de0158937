import fs from "node:fs";
import {
  buildClientSchema,
  type DocumentNode,
  execute,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type IntrospectionQuery,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from "graphql";
import type { Principal } from "../core/principal.js";
import { repoAccess } from "../core/principal.js";
import type { SimCore } from "../core/sim-core.js";
import { packageFile } from "../support/package-file.js";
import { type CreateCommitOnBranchInput, createCommitOnBranch } from "./create-commit-on-branch.js";
import type { GraphqlContext } from "./graphql-context.js";
import { formatGraphqlError, GitHubGraphqlError } from "./graphql-errors.js";
import { actorModel, repositoryModel } from "./repository-model.js";

let schema: GraphQLSchema | undefined;

/** GitHub's public GraphQL schema (@octokit/graphql-schema), built once per process. */
export function githubSchema(): GraphQLSchema {
  if (!schema) {
    const file = packageFile("@octokit/graphql-schema", "schema.json");
    schema = buildClientSchema(JSON.parse(fs.readFileSync(file, "utf8")) as IntrospectionQuery);
  }
  return schema;
}

/**
 * Resolves a field from the model object: a plain value, or a method called with the field's
 * arguments. A field the simulator has no model for is an error naming it, never a silent null.
 */
const fieldResolver: GraphQLFieldResolver<Record<string, unknown>, GraphqlContext> = (source, args, context, info) => {
  const value = source[info.fieldName];
  if (value === undefined) throw new GraphQLError(`The GitHub simulator does not implement ${info.parentType.name}.${info.fieldName}`);
  return typeof value === "function" ? (value as (a: unknown, c: GraphqlContext) => unknown).call(source, args, context) : value;
};

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface ParsedGraphql {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** "graphql:repository" or "graphql:createCommitOnBranch": how requests are counted and matched. */
  endpointKey: string;
}

/** Parses a request far enough to name it; returns GitHub-style errors for what cannot be parsed. */
export function parseGraphqlRequest(request: GraphqlRequest): ParsedGraphql | { errors: Record<string, unknown>[] } {
  if (typeof request.query !== "string") return { errors: [{ message: "A query attribute must be specified and must be a string." }] };
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return { errors: [formatGraphqlError(error as GraphQLError)] };
  }
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    typeof request.operationName === "string"
      ? operations.find((candidate) => candidate.name?.value === request.operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
  if (!operation) return { errors: [{ message: "An operation name is required when a document has more than one operation." }] };
  const rootFields = operation.selectionSet.selections
    .map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : "…"))
    .filter((name, index, all) => all.indexOf(name) === index)
    .sort();
  return { document, operation, endpointKey: `graphql:${rootFields.join(",")}` };
}

/** Validates against GitHub's schema and executes with the simulator's models. */
export async function executeGraphql(
  core: SimCore,
  principal: Principal,
  request: GraphqlRequest,
  parsed: ParsedGraphql,
): Promise<Record<string, unknown>> {
  const validationErrors = validate(githubSchema(), parsed.document);
  if (validationErrors.length > 0) return { errors: validationErrors.map(formatGraphqlError) };
  const context: GraphqlContext = {
    core,
    principal,
    repositoryModel: (repo) => repositoryModel(repo, context),
    actorModel: (account) => actorModel(account, context),
  };
  const root = {
    repository: (args: { owner: string; name: string }) => {
      const repo = core.world.repoByName(args.owner, args.name) ?? core.world.redirectedRepo(args.owner, args.name);
      if (!repo || repoAccess(core.world, principal, repo) === "none") {
        throw new GitHubGraphqlError("NOT_FOUND", `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
      }
      return repositoryModel(repo, context);
    },
    viewer: () => actorModel(principal.kind === "user" ? principal.user : core.world.app.bot, context),
    rateLimit: () => {
      const state = core.rateLimits.peek(principal.kind === "app" ? "app" : principal.token.token, "graphql", core.now());
      return {
        cost: 1,
        limit: state.limit,
        nodeCount: 0,
        remaining: state.remaining,
        resetAt: new Date(state.reset * 1000).toISOString(),
        used: state.used,
      };
    },
    createCommitOnBranch: (args: { input: CreateCommitOnBranchInput }) => createCommitOnBranch(args.input, context),
  };
  const result = await execute({
    schema: githubSchema(),
    document: parsed.document,
    rootValue: root,
    contextValue: context,
    variableValues: request.variables && typeof request.variables === "object" ? (request.variables as Record<string, unknown>) : {},
    ...(typeof request.operationName === "string" ? { operationName: request.operationName } : {}),
    fieldResolver,
  });
  return {
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors ? { errors: result.errors.map(formatGraphqlError) } : {}),
  };
}
