// snowflake-sdk brings the AWS SDK (used only for S3 stages), which prints a
// nine-line notice about its future Node.js support on every start under
// Node 20. It says nothing about this program, so it is switched off here,
// before snowflake-sdk loads (unless the user set the variable themselves).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
export {};
