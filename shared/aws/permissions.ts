/**
 * The IAM actions each Lambda function needs: the union of what the adapters it calls declare.
 * The stack must grant each function's role exactly these (tests/integration/stack.test.ts).
 */
import { CHANGE_WRITE_ACTIONS } from "./change-store";
import { IAM_GROUP_READ_ACTIONS, IAM_READ_ACTIONS } from "./iam";
import {
  LIGHTSAIL_FIX_INSTANCE_ACTIONS,
  LIGHTSAIL_FIX_LOAD_BALANCER_ACTIONS,
  LIGHTSAIL_FIX_READ_ACTIONS,
  LIGHTSAIL_READ_ACTIONS,
} from "./lightsail";
import { RATE_LIMIT_ACTIONS } from "./rate-limit";
import { REPORT_STORE_ACTIONS } from "./report-store";
import { SNS_PUBLISH_ACTIONS, SNS_TOPIC_KEY_ACTIONS } from "./sns";
import { SSM_ACTIONS_WITHOUT_RESOURCE_TYPES, SSM_COMMAND_ACTIONS, SSM_READ_ACTIONS } from "./ssm";
import { STATE_TABLE_ACTIONS } from "./state-store";

/**
 * What applying fixes adds (REMEDIATION=enforce): the stack grants these in a separate policy that
 * exists only when the `remediation` deploy parameter is enforce, so by default the audit
 * function cannot change anything.
 */
export const REMEDIATION_ACTIONS: readonly string[] = [
  ...LIGHTSAIL_FIX_READ_ACTIONS,
  ...LIGHTSAIL_FIX_INSTANCE_ACTIONS,
  ...LIGHTSAIL_FIX_LOAD_BALANCER_ACTIONS,
  ...CHANGE_WRITE_ACTIONS,
];

/**
 * Not a call of ours: Lambda sends a failed asynchronous invocation's record to the function's
 * on-failure destination (an SQS queue) with the function's execution role.
 */
export const FAILED_INVOCATION_ACTIONS = ["sqs:SendMessage"] as const;

export const FUNCTION_ACTIONS: Record<string, readonly string[]> = {
  rootActivity: [
    ...SNS_PUBLISH_ACTIONS,
    ...SNS_TOPIC_KEY_ACTIONS,
    ...RATE_LIMIT_ACTIONS,
    ...FAILED_INVOCATION_ACTIONS,
  ],
  audit: [
    ...FAILED_INVOCATION_ACTIONS,
    ...SNS_TOPIC_KEY_ACTIONS,
    ...IAM_READ_ACTIONS,
    ...IAM_GROUP_READ_ACTIONS,
    ...LIGHTSAIL_READ_ACTIONS,
    ...SSM_READ_ACTIONS,
    ...SSM_COMMAND_ACTIONS,
    ...SNS_PUBLISH_ACTIONS,
    ...STATE_TABLE_ACTIONS,
    ...REPORT_STORE_ACTIONS,
    ...REMEDIATION_ACTIONS,
  ],
};

/**
 * Actions with no resource-level permissions (Service Authorization Reference): the only ones a
 * policy may grant on `Resource: "*"`. (IAM_GROUP_READ_ACTIONS are granted on group ARNs.)
 */
export const ACTIONS_WITHOUT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  ...IAM_READ_ACTIONS,
  ...LIGHTSAIL_READ_ACTIONS,
  ...SSM_ACTIONS_WITHOUT_RESOURCE_TYPES,
  ...LIGHTSAIL_FIX_READ_ACTIONS,
]);
