/** The visitor as GitHub's `GET /user` describes them: what sign-in keeps and the profile record copies. */
export interface GithubUser {
  id: number;
  login: string;
  name: string | null;
  avatar_url: string;
  html_url: string;
}
