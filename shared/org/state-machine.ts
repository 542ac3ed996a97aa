/**
 * The organization run's state machine (Amazon States Language), built at package time by
 * shared/org/stack.cjs into serverless.yml's OrganizationRun. Pure: function ARNs come in as
 * values (CloudFormation GetAtt objects at package time, names in tests).
 *
 *   ListAccounts -> AuditAccounts (Map, DISTRIBUTED) -> Summarize
 *
 * Why a distributed Map, not inline: ToleratedFailurePercentage (one broken account never fails
 * the run) exists only in distributed mode; inline Map runs at most 40 iterations at a time and
 * writes every iteration's events into the parent's history, capped at 25,000 events (about
 * 3,500 accounts at 7 events each, fewer with retries), while each distributed child is its own
 * execution. Limits of the choice: a distributed Map's items here come from the state input
 * (ItemsPath), which is capped at 256 KB: about 3,000 accounts at ~80 bytes each (the list step
 * would then write the items to S3 and the Map read them with ItemReader); MaxConcurrency up to
 * 10,000 child executions. Children are STANDARD workflows: an account's audit may take up to the
 * function's 300 s timeout plus retries, beyond an EXPRESS child's 5-minute limit.
 */

/** Lambda's transient errors (Step Functions' names for the direct Lambda ARN integration). */
export const LAMBDA_RETRY_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
];

const lambdaRetry = {
  ErrorEquals: LAMBDA_RETRY_ERRORS,
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  JitterStrategy: "FULL",
};

export interface StateMachineOptions<Arn> {
  organizationFunction: Arn;
  auditFunction: Arn;
  maxConcurrency: number;
}

/**
 * The definition, with the function ARNs as given (objects are kept as they are, for
 * CloudFormation to resolve).
 */
export function stateMachineDefinition<Arn>(o: StateMachineOptions<Arn>) {
  return {
    Comment: "lightsail-auditor: audits each account of the organization, then summarizes",
    StartAt: "ListAccounts",
    States: {
      ListAccounts: {
        Type: "Task",
        Resource: o.organizationFunction,
        Parameters: { step: "list" },
        Retry: [lambdaRetry],
        Next: "AuditAccounts",
      },
      AuditAccounts: {
        Type: "Map",
        ItemsPath: "$.accounts",
        ItemSelector: {
          step: "account",
          "runId.$": "$.runId",
          "roleName.$": "$.roleName",
          "account.$": "$$.Map.Item.Value",
        },
        MaxConcurrency: o.maxConcurrency,
        // A child that fails anyway (its execution itself failing) never fails the run either.
        ToleratedFailurePercentage: 100,
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "AuditAccount",
          States: {
            AuditAccount: {
              Type: "Task",
              Resource: o.auditFunction,
              Retry: [
                lambdaRetry,
                // AssumeRole throttled past the SDK's own retries: try the account again later.
                {
                  ErrorEquals: ["AssumeRoleError"],
                  IntervalSeconds: 5,
                  MaxAttempts: 3,
                  BackoffRate: 2,
                },
              ],
              // Anything else: the account is left without an entry, which Summarize reports as
              // audit-failed; the item itself succeeds, so the run never fails for one account.
              Catch: [
                { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "AccountFailed" },
              ],
              End: true,
            },
            AccountFailed: {
              Type: "Pass",
              Parameters: { "accountId.$": "$.account.id", audited: false, reason: "audit-failed" },
              End: true,
            },
          },
        },
        // The items' results stay out of the state: each account's entry is in S3.
        ResultPath: null,
        Next: "Summarize",
      },
      Summarize: {
        Type: "Task",
        Resource: o.organizationFunction,
        Parameters: { step: "summarize", "runId.$": "$.runId" },
        Retry: [lambdaRetry],
        End: true,
      },
    },
  };
}
