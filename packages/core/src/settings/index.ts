export {
  setting,
  settingInfoOf,
  describeSettings,
  defaultOf,
  defaultText,
  type SettingInfo,
  type Described,
  type SettingDescriptor,
  type ConnectorDescriptor,
} from './setting.js';
import * as fields from './fields.js';
export { fields };
