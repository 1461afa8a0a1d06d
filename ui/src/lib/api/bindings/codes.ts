// Generated from crates/app/src/codes.rs by `cargo test -p encaisse-app`; do not edit.
// Every fixed word the backend sends, by type: the screens show each through its label
// (`code.<Type>.<word>` in ui/src/lib/i18n/fr.json and en.json).

export const CODES = {
	ActionKind: ['email', 'letter', 'call', 'sms', 'note'],
	AssignBy: ['segment', 'category'],
	AuditKind: ['email_sent', 'email_failed', 'email_test', 'email_test_failed', 'daily_report_sent', 'daily_report_failed', 'smtp_changed', 'mail_settings_changed', 'template_changed', 'template_reset', 'letter_settings_changed', 'rates_changed', 'rates_reset', 'debtor_kinds_changed', 'collection_settings_changed', 'action_recorded', 'promise_made', 'promise_changed', 'promise_status_changed', 'dispute_opened', 'dispute_closed', 'dispute_commented', 'scenario_saved', 'scenario_assigned', 'scenario_unassigned', 'customer_scenario_changed', 'customer_paused', 'customer_resumed', 'file_imported', 'customer_changed_from_file', 'demo_created', 'backup_made', 'database_restored', 'backup_settings_changed', 'user_name_changed', 'penalty_waived', 'penalty_unwaived', 'bank_entry_matched', 'bank_entry_unmatched', 'bank_entry_on_account', 'bank_entry_ignored', 'bank_statement_removed', 'pa_settings_changed', 'portfolio_assigned', 'portfolio_unassigned', 'portfolio_reassigned', 'other'],
	BackupReason: ['manual', 'before_demo', 'before_import', 'before_restore', 'before_upgrade', 'daily'],
	BankStatus: ['matched', 'suggested', 'unmatched', 'on_account', 'ignored'],
	BehaviourSegment: ['on_time', 'slightly_late', 'late', 'very_late'],
	Category: ['key_account', 'occasional', 'private_person', 'public_body'],
	Channel: ['email', 'letter', 'call', 'sms_task'],
	DebtorKind: ['professional', 'public_body', 'private_person'],
	Department: ['sales', 'logistics', 'quality', 'accounting'],
	DisputeKind: ['price', 'quantity', 'quality', 'delivery', 'invoicing_error', 'missing_purchase_order', 'duplicate', 'other'],
	DisputeStatus: ['open', 'closed'],
	EInvoiceWarningCode: ['buyer_identifier', 'no_due_date', 'negative_invoice'],
	ExportFormat: ['csv', 'xlsx', 'pdf'],
	FileKind: ['bank_statement', 'bank_csv', 'statuses', 'fec', 'einvoice', 'table', 'unknown'],
	Outcome: ['promise', 'dispute', 'no_answer', 'wrong_contact', 'says_paid', 'call_back'],
	ProblemCode: ['unreadable', 'empty_file', 'missing_column', 'bad_date', 'bad_amount', 'bad_value', 'unbalanced', 'duplicate', 'unknown_customer', 'not_text', 'control_character', 'too_long', 'unclosed_quote', 'other'],
	PromiseStatus: ['running', 'kept', 'broken'],
	Security: ['starttls', 'tls', 'none'],
	StepId: ['pre_reminder', 'reminder_1', 'reminder_2', 'reminder_3', 'personal_letter', 'formal_notice'],
	EinvoiceStatus: ['200', '201', '202', '203', '204', '205', '206', '207', '208', '209', '210', '211', '212', '213', '214', '220', '501'],
} as const;

export type CodeKind = keyof typeof CODES;
