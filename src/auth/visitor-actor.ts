/** The actor of a signed-in visitor's writes (see actorOf): what `/writes/{id}` then answers to. */
export function visitorActor(login: string): string {
  return `session:${login}`;
}
