import { ciscoIosLike } from './cisco_ios.ts';

/** IOS-XE: netmiko uses the IOS class for it. */
export default ciscoIosLike('cisco_xe', []);
