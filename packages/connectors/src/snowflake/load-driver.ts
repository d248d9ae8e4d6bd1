import type snowflake from 'snowflake-sdk';

let driver: Promise<typeof snowflake> | undefined;

/**
 * snowflake-sdk, loaded and set up on the first `SnowflakeWarehouse.open`
 * (once per process), not when this package is imported: what it changes is
 * global to the process, so a program that never opens Snowflake keeps it as it was.
 *
 * - The AWS SDK it brings (used only for S3 stages) prints a notice about its
 *   future Node.js support on every start on some Node lines; it says nothing
 *   about this program, so it is switched off before the SDK loads, unless the
 *   user set the variable themselves.
 * - The driver writes `snowflake.log` into the working directory by default.
 *   Its errors reach us as rejected calls anyway, so its own log goes nowhere.
 */
export function loadSnowflakeSdk(): Promise<typeof snowflake> {
  driver ??= (async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { default: sdk } = await import('snowflake-sdk');
    const silent = () => undefined;
    sdk.configure({
      logLevel: 'ERROR',
      additionalLogToConsole: false,
      customLogger: { error: silent, warn: silent, info: silent, debug: silent, trace: silent },
    } as snowflake.ConfigureOptions);
    return sdk;
  })();
  return driver;
}
