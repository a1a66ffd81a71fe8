import { useI18n } from './I18nProvider';
import { staffDictionaries, type StaffStrings } from './staff-strings';

/** The staff strings in the current UI language. */
export function useStaffStrings(): StaffStrings {
  return staffDictionaries[useI18n().lang];
}
