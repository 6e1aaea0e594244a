/**
 * The labels of the sign-off lines under (or above) a county's table, in one list for the two
 * that read them: the progress reader, which leaves such a row out of the data
 * (row-kinds.ts), and the personal-data gate, which takes the words after a person's label for
 * a name (privacy/personal-names.ts). Kept together so that a row the gate reads as naming a
 * person is a sign-off row to the reader too.
 */

/** Labels followed by a person's name: who filled the table in, checked, signed or answers for it. */
export const SIGN_OFF_PERSON_LABELS = ['单位负责人', '主要负责人', '分管负责人', '分管领导', '主要领导', '负责人', '填报人', '填表人', '制表人', '审核人', '审批人', '复核人', '核对人', '联系人', '经办人', '统计人', '报送人', '签发人'] as const;

/** Labels of a sign-off line that are not followed by a person: dates, the office, its phone (a phone number is found by its own rule). */
export const SIGN_OFF_OTHER_LABELS = ['填报日期', '填表日期', '报送日期', '联系电话', '填报单位', '报送单位'] as const;
