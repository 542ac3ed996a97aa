/** STS (awsQuery): GetCallerIdentity answers the account's configured caller. */
import type { QueryService } from "../state";

export const sts: QueryService = {
  protocol: "query",
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  operations: {
    GetCallerIdentity: (_params, { state }) => ({
      Arn: state.account.caller.Arn,
      UserId: state.account.caller.UserId,
      Account: state.account.accountId,
    }),
  },
};
