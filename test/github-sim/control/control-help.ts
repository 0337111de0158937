import { controlRouteList } from "./control-routes.js";

/** The control API as text, one route a line, from the same list as the router. */
export function controlHelpLines(): string[] {
  const routes = controlRouteList();
  const width = Math.max(...routes.map((route) => `${route.method} ${route.path}`.length));
  return routes.map(
    (route) => `  ${`${route.method} ${route.path}`.padEnd(width)}  ${route.about}${route.takes ? `  ${route.takes}` : ""}`,
  );
}
