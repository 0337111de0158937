import nock from "nock";

// Unit tests never reach the internet: GitHub is faked with nock, or with the local simulator on loopback.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

afterEach(() => {
  nock.cleanAll();
});
