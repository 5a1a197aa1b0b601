import { ciscoIosLike } from './cisco_ios.ts';

/** IOS-XE: netmiko uses the IOS class for it (platforms.md §1). */
export default ciscoIosLike('cisco_xe', []);
