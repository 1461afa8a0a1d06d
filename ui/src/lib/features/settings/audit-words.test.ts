import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '$lib/api/types';
import { noFacts } from '$lib/api/fixtures/settings-mock';
import { auditLine, byWhom } from './audit-words';

function event(e: Partial<AuditEvent> & Pick<AuditEvent, 'kind' | 'entity' | 'action'>): AuditEvent {
	return {
		id: 1,
		date: '2026-11-26',
		time: '14:32',
		user: 'marie',
		user_name: 'Marie Martin',
		entity_id: '',
		before: null,
		after: null,
		...e,
		facts: { ...noFacts(), ...e.facts }
	};
}

const opened = event({
	kind: 'dispute_opened',
	entity: 'dispute',
	entity_id: '12',
	action: 'opened',
	facts: {
		...noFacts(),
		customer: 'C042',
		customer_name: 'Café de la Gare',
		invoices: ['F2026-17870'],
		amount: '13121.66',
		currency: 'EUR',
		dispute_kind: 'price',
		department: 'sales',
		comment: 'Remise oubliée'
	}
});

describe('the audit journal in sentences', () => {
	it('says a dispute opened in French, with its amount, codes in words and the comment as text', () => {
		const line = auditLine(opened, 'fr');
		expect(line.text).toBe(
			'Litige ouvert sur la facture F2026-17870 (prix, service commercial) : 13\u202f121,66\u00a0€, Café de la Gare'
		);
		expect(line.by).toBe('par Marie Martin à 14:32');
		expect(line.details).toEqual(['Remise oubliée']);
	});

	it('says a display name changed, never the code user_name', () => {
		const renamed = event({
			kind: 'user_name_changed',
			entity: 'user_name',
			entity_id: 'marie',
			action: 'update',
			facts: { ...noFacts(), name_before: 'marie', name_after: 'Marie Martin' }
		});
		expect(auditLine(renamed, 'fr').text).toBe('Nom affiché de marie : « marie » → « Marie Martin »');
		expect(auditLine(renamed, 'en').text).toBe('Display name of marie: “marie” → “Marie Martin”');
	});

	it('says it in English', () => {
		const line = auditLine(opened, 'en');
		expect(line.text).toBe(
			'Dispute opened on invoice F2026-17870 (price, sales department): €13,121.66, Café de la Gare'
		);
		expect(line.by).toBe('by Marie Martin at 14:32');
	});

	it('says a promise, its status change and an action with dates and labels', () => {
		const promise = event({
			kind: 'promise_made',
			entity: 'promise',
			action: 'added',
			facts: {
				...noFacts(),
				customer_name: 'Boulangerie Petit',
				invoices: ['F1', 'F2'],
				amount: '500.00',
				currency: 'EUR',
				date: '2026-12-05'
			}
		});
		expect(auditLine(promise, 'fr').text).toBe(
			'Promesse de paiement de Boulangerie Petit : 500,00\u00a0€ au 05/12/2026 sur les factures F1, F2'
		);
		const status = event({
			kind: 'promise_status_changed',
			entity: 'promise',
			entity_id: '7',
			action: 'status',
			facts: { ...noFacts(), status_before: 'running', status: 'broken' }
		});
		expect(auditLine(status, 'fr').text).toBe('Promesse n° 7 : « En cours » devient « Non tenue »');
		expect(auditLine(status, 'en').text).toBe('Promise no. 7: “Running” becomes “Broken”');
		const call = event({
			kind: 'action_recorded',
			entity: 'action',
			action: 'added',
			facts: {
				...noFacts(),
				customer_name: 'ACME',
				action_kind: 'call',
				step: 'reminder_2',
				outcome: 'says_paid'
			}
		});
		const line = auditLine(call, 'fr');
		expect(line.text).toBe('Action enregistrée pour ACME : appel');
		expect(line.details).toEqual(['étape « Relance 2 »', 'résultat : Dit avoir payé']);
	});

	it('lists the changed settings by their names, values in words, the password never', () => {
		const smtp = event({
			kind: 'smtp_changed',
			entity: 'smtp',
			action: 'update',
			before: JSON.stringify({ host: 'a.fr', port: 587, security: 'starttls' }),
			after: JSON.stringify({ host: 'b.fr', port: 465, security: 'tls', password: 'changed', extra: 1 }),
			facts: { ...noFacts(), changed: ['host', 'port', 'security', 'password', 'extra'] }
		});
		const line = auditLine(smtp, 'fr');
		expect(line.text).toBe("Serveur d'envoi des e-mails modifié");
		expect(line.details).toEqual([
			'Serveur : a.fr → b.fr',
			'Port : 587 → 465',
			'Sécurité : STARTTLS → TLS',
			'mot de passe modifié',
			'et 1 autre réglage'
		]);
	});

	it('never shows a code of the trail in French', () => {
		const text = [opened, { ...opened, kind: 'dispute_closed' as const, action: 'closed' }]
			.map((e) => {
				const l = auditLine(e, 'fr');
				return [l.text, l.by, ...l.details].join(' ');
			})
			.join(' ');
		for (const code of ['opened', 'closed', 'price', 'sales', 'dispute', '13121.66', '2026-11-26', 'kind']) {
			expect(text).not.toContain(code);
		}
	});

	it('says in words when nobody is known, with or without the time', () => {
		expect(byWhom({ user: '', user_name: '', time: '09:05' }, 'fr')).toBe(
			'par un utilisateur inconnu à 09:05'
		);
		expect(byWhom({ user: ' ', user_name: '', time: null }, 'en')).toBe('by an unknown user');
		expect(byWhom({ user: 'paul', user_name: 'Paul Durand', time: null }, 'fr')).toBe('par Paul Durand');
		expect(byWhom({ user: 'paul', user_name: '', time: null }, 'fr')).toBe('par paul');
	});
});

describe('the journal says what changes data: imports, demo, backups, restores', () => {
	it('says an import with its counts and fingerprint, and a customer changed by a file before and after', () => {
		const imported = auditLine(
			event({
				kind: 'file_imported',
				entity: 'import',
				entity_id: '111111111FEC20221231.TXT',
				action: 'fec',
				facts: {
					...noFacts(),
					file: '111111111FEC20221231.TXT',
					import_kind: 'fec',
					sha256: 'ab12',
					lines_added: 1234,
					lines_removed: 0,
					customers_added: 34
				}
			}),
			'fr'
		);
		expect(imported.text).toBe('Import du FEC : « 111111111FEC20221231.TXT »');
		expect(imported.details).toEqual([
			'1\u202f234 lignes écrites, 0 remplacées',
			'34 nouveaux clients',
			'Empreinte SHA-256 : ab12'
		]);
		const changed = auditLine(
			event({
				kind: 'customer_changed_from_file',
				entity: 'customer',
				entity_id: 'C042',
				action: 'file_update',
				before: JSON.stringify({ file: 'clients.csv', name: 'Café de la Gare' }),
				after: JSON.stringify({ file: 'clients.csv', name: 'Café de la Gare SARL' }),
				facts: { ...noFacts(), customer: 'C042', file: 'clients.csv', changed: ['name'] }
			}),
			'fr'
		);
		expect(changed.text).toBe("Fiche de C042 modifiée par l'import de « clients.csv »");
		expect(changed.details).toEqual(['Nom : Café de la Gare → Café de la Gare SARL']);
	});

	it('says a backup with its reason and size, a restore and the demo', () => {
		const backup = auditLine(
			event({
				kind: 'backup_made',
				entity: 'backup',
				entity_id: 'encaisse-20261203-140000-before_demo.db',
				action: 'before_demo',
				facts: {
					...noFacts(),
					file: '/data/backups/encaisse-20261203-140000-before_demo.db',
					reason: 'before_demo',
					bytes: 2_400_000
				}
			}),
			'fr'
		);
		expect(backup.text).toBe(
			'Sauvegarde de la base (avant la société de démonstration) : /data/backups/encaisse-20261203-140000-before_demo.db'
		);
		expect(backup.details).toEqual(['Taille : 2,4\u00a0Mo']);
		const restore = auditLine(
			event({
				kind: 'database_restored',
				entity: 'database',
				entity_id: 'copie.db',
				action: 'restored',
				facts: { ...noFacts(), file: '/data/copie.db' }
			}),
			'en'
		);
		expect(restore.text).toBe('Database restored from “/data/copie.db”');
		const demo = auditLine(
			event({
				kind: 'demo_created',
				entity: 'demo',
				action: 'created',
				facts: { ...noFacts(), customers_added: 300 }
			}),
			'fr'
		);
		expect(demo.text).toBe('Société de démonstration créée (300 clients)');
	});
});
