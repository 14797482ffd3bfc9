//! Benchmarks of the Meta-Accounts pallet, each at its worst case: the most authenticators,
//! invitations and pending changes a Meta-Account may have, the longest credential id, and
//! real P-256 and secp256k1 signatures made by the software authenticators of
//! `waas_primitives::testing` (in the runtime, so in wasm when run by the node).

use super::*;
use crate::pallet::Pallet as MetaAccountsPallet;
use alloc::{boxed::Box, format, string::String, vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get, UnfilteredDispatchable};
use frame_system::RawOrigin;
use sp_runtime::traits::StaticLookup;
use waas_primitives::testing::{Attestation, EvmWallet, SoftwarePasskey};

/// A balance far above any deposit or fee a benchmark holds: 10^9 existential deposits.
fn rich<T: Config>() -> BalanceOf<T> {
	use frame_support::traits::fungible::Inspect;
	sp_runtime::Saturating::saturating_mul(T::Currency::minimum_balance(), 1_000_000_000u32.into())
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::Currency::set_balance(&who, rich::<T>());
	who
}

fn lookup<T: Config>(who: &T::AccountId) -> <T::Lookup as StaticLookup>::Source {
	T::Lookup::unlookup(who.clone())
}

fn signed<T: Config>(who: &T::AccountId) -> <T as frame_system::Config>::RuntimeOrigin {
	RawOrigin::Signed(who.clone()).into()
}

/// The first relying party of the runtime, as a browser reports it: (origin, rp id).
fn relying_party<T: Config>() -> (String, &'static str) {
	let rp = T::RelyingParties::get().first().expect("integrity test: at least one");
	let origin = if rp.any_port { format!("{}:8080", rp.origin) } else { rp.origin.into() };
	(origin, rp.rp_id)
}

/// A passkey with the longest credential id.
fn passkey(seed: u8) -> SoftwarePasskey {
	let mut id = vec![seed; waas_traits::MAX_CREDENTIAL_ID_LEN as usize];
	id[0] = 0xfe;
	SoftwarePasskey::new(seed, &id)
}

fn passkey_key<T: Config>(passkey: &SoftwarePasskey) -> AuthenticatorKeyOf<T> {
	AuthenticatorKey::Passkey(passkey.credential_id().to_vec().try_into().expect("max length"))
}

fn assertion<T: Config>(passkey: &mut SoftwarePasskey, challenge: &[u8; 32]) -> PasskeyAssertion {
	let (origin, rp_id) = relying_party::<T>();
	let a = passkey.assert(challenge, &origin, rp_id);
	PasskeyAssertion {
		authenticator_data: a.authenticator_data.try_into().expect("bounded"),
		client_data_json: a.client_data_json.try_into().expect("bounded"),
		signature: a.signature.try_into().expect("bounded"),
	}
}

/// A registration with attestation `none` and its possession assertion: two verifications,
/// the worst case.
fn registration<T: Config>(
	passkey: &mut SoftwarePasskey,
	target: PossessionTarget,
	role: Role,
) -> NewAuthenticator {
	let (origin, rp_id) = relying_party::<T>();
	let digest = MetaAccountsPallet::<T>::possession_digest(&target, role);
	let (attestation_object, client_data_json) =
		passkey.register(&digest, &origin, rp_id, Attestation::None);
	NewAuthenticator::Passkey(PasskeyRegistration {
		attestation_object: attestation_object.try_into().expect("bounded"),
		client_data_json: client_data_json.try_into().expect("bounded"),
		possession: Some(assertion::<T>(passkey, &digest)),
	})
}

fn wallet_consent<T: Config>(
	wallet: &EvmWallet,
	target: PossessionTarget,
	role: Role,
) -> NewAuthenticator {
	let digest = MetaAccountsPallet::<T>::possession_digest(&target, role);
	let text = MetaAccountsPallet::<T>::possession_text(&target, role, &digest);
	NewAuthenticator::Evm {
		address: wallet.address().into(),
		signature: EvmSignature::PersonalSign(wallet.personal_sign(&text)),
	}
}

fn existing<T: Config>(id: MetaAccountId) -> PossessionTarget {
	let epoch = MetaAccounts::<T>::get(id).expect("exists").epoch;
	PossessionTarget::Existing { meta_account: id, epoch }
}

/// A Meta-Account created by Substrate account `owner`, with `members` more Owners and
/// `invited` pending invitations.
fn meta_account<T: Config>(
	owner: &T::AccountId,
	members: u32,
	invited: u32,
) -> (MetaAccountId, Vec<T::AccountId>, Vec<T::AccountId>) {
	MetaAccountsPallet::<T>::create(signed::<T>(owner)).expect("create");
	let id =
		AuthenticatorOf::<T>::get(AuthenticatorKey::Substrate(owner.clone())).expect("created");
	let joined: Vec<_> = (0..members)
		.map(|i| {
			let who = funded::<T>("member", i);
			MetaAccountsPallet::<T>::invite_authenticator(
				signed::<T>(owner),
				lookup::<T>(&who),
				Role::Owner,
			)
			.expect("invite");
			MetaAccountsPallet::<T>::accept_invitation(signed::<T>(&who), id).expect("accept");
			who
		})
		.collect();
	let invitees: Vec<_> = (0..invited)
		.map(|i| {
			let who = funded::<T>("invitee", i);
			MetaAccountsPallet::<T>::invite_authenticator(
				signed::<T>(owner),
				lookup::<T>(&who),
				Role::Owner,
			)
			.expect("invite");
			who
		})
		.collect();
	(id, joined, invitees)
}

/// `count` pending changes of `id` proposed by `proposer`, each about `target`.
fn pending_changes<T: Config>(proposer: &T::AccountId, target: &T::AccountId, count: u32) {
	let roles = [Role::Signer, Role::Viewer];
	for i in 0..count {
		let change = if i == 0 {
			Change::Remove(AuthenticatorKey::Substrate(target.clone()))
		} else {
			Change::SetRole(AuthenticatorKey::Substrate(target.clone()), roles[(i % 2) as usize])
		};
		let acting = MetaAccountsPallet::<T>::acting(signed::<T>(proposer)).expect("an Owner");
		MetaAccountsPallet::<T>::propose(acting, change).expect("propose");
	}
}

/// An envelope whose call is the cheapest one every role may carry (enacting an unknown
/// change: one read), so its measured weight is the envelope's own.
fn envelope<T: Config>(id: MetaAccountId, key: AuthenticatorKeyOf<T>) -> EnvelopeOf<T> {
	let call: <T as Config>::RuntimeCall =
		Call::<T>::enact_change { meta_account: id, change_id: u32::MAX }.into();
	Envelope {
		meta_account: id,
		authenticator: key,
		nonce: 0,
		// The benchmark may run in a later block than its setup.
		valid_until: frame_system::Pallet::<T>::block_number() + T::MaxEnvelopeLifetime::get(),
		fee_payer: FeePayer::MetaAccount,
		call: Box::new(call),
	}
}

/// A Meta-Account created by `key` without a Substrate key, its sovereign account funded.
fn unsigned_meta_account<T: Config>(new: NewAuthenticator) -> MetaAccountId {
	let key = MetaAccountsPallet::<T>::new_authenticator_key(&new).expect("a key");
	let id = MetaAccountsPallet::<T>::next_meta_account_id(&key);
	T::Currency::set_balance(&MetaAccountsPallet::<T>::sovereign_account(&id), rich::<T>());
	Call::<T>::create_with_authenticator { new, fee_payer: FeePayer::MetaAccount }
		.dispatch_bypass_filter(RawOrigin::None.into())
		.expect("created");
	id
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create() {
		let who = funded::<T>("creator", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(AuthenticatorOf::<T>::contains_key(AuthenticatorKey::Substrate(who)));
	}

	#[benchmark]
	fn invite_authenticator() {
		let owner = funded::<T>("owner", 0);
		let (id, _, _) = meta_account::<T>(
			&owner,
			T::MaxAuthenticators::get() - 2,
			T::MaxPendingInvitations::get() - 1,
		);
		let invitee = funded::<T>("new", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), lookup::<T>(&invitee), Role::Signer);
		assert!(Invitations::<T>::contains_key(&invitee, id));
	}

	#[benchmark]
	fn accept_invitation() {
		let owner = funded::<T>("owner", 0);
		let (id, _, invitees) = meta_account::<T>(
			&owner,
			T::MaxAuthenticators::get() - 2,
			T::MaxPendingInvitations::get(),
		);
		let who = invitees.last().expect("an invitee").clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id);
		assert_eq!(AuthenticatorOf::<T>::get(AuthenticatorKey::Substrate(who)), Some(id));
	}

	#[benchmark]
	fn cancel_invitation() {
		let owner = funded::<T>("owner", 0);
		let (id, _, invitees) = meta_account::<T>(&owner, 0, T::MaxPendingInvitations::get());
		let who = invitees.last().expect("an invitee").clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, lookup::<T>(&who));
		assert!(!Invitations::<T>::contains_key(&who, id));
	}

	/// An Owner leaves; every pending change is about it and is dropped with it.
	#[benchmark]
	fn remove_authenticator() {
		let owner = funded::<T>("owner", 0);
		let (id, members, _) = meta_account::<T>(&owner, T::MaxAuthenticators::get() - 1, 0);
		let leaver = members.last().expect("a member").clone();
		pending_changes::<T>(&owner, &leaver, T::MaxPendingChanges::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(leaver.clone()), AuthenticatorKey::Substrate(leaver.clone()));
		assert!(!AuthenticatorOf::<T>::contains_key(AuthenticatorKey::Substrate(leaver)));
		assert_eq!(MetaAccounts::<T>::get(id).expect("exists").pending_changes, 0);
	}

	#[benchmark]
	fn propose_change() {
		let owner = funded::<T>("owner", 0);
		let (id, members, _) = meta_account::<T>(&owner, T::MaxAuthenticators::get() - 1, 0);
		let target = members.last().expect("a member").clone();
		pending_changes::<T>(&owner, &target, T::MaxPendingChanges::get() - 1);
		#[extrinsic_call]
		set_role(RawOrigin::Signed(owner), AuthenticatorKey::Substrate(target), Role::Viewer);
		assert_eq!(
			MetaAccounts::<T>::get(id).expect("exists").pending_changes,
			T::MaxPendingChanges::get()
		);
	}

	#[benchmark]
	fn veto_change() {
		let owner = funded::<T>("owner", 0);
		let (id, members, _) = meta_account::<T>(&owner, 1, 0);
		let target = members[0].clone();
		pending_changes::<T>(&owner, &target, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(target), 0);
		assert!(!PendingChanges::<T>::contains_key(id, 0));
	}

	/// Enacting a removal whose target has every other pending change about it.
	#[benchmark]
	fn enact_change() {
		let owner = funded::<T>("owner", 0);
		let (id, members, _) = meta_account::<T>(&owner, T::MaxAuthenticators::get() - 1, 0);
		let target = members.last().expect("a member").clone();
		pending_changes::<T>(&owner, &target, T::MaxPendingChanges::get());
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number() + T::ChangeDelay::get(),
		);
		let anyone = funded::<T>("anyone", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), id, 0);
		assert!(!AuthenticatorOf::<T>::contains_key(AuthenticatorKey::Substrate(target)));
	}

	/// Closing with `i` invitations and `c` pending changes to drop.
	#[benchmark]
	fn close_meta_account(
		i: Linear<0, { T::MaxPendingInvitations::get() }>,
		c: Linear<0, { T::MaxPendingChanges::get() }>,
	) {
		let owner = funded::<T>("owner", 0);
		let (id, _, _) = meta_account::<T>(&owner, 0, 0);
		// The owner proposes `c` changes about itself while another Owner is there (so they
		// keep an Owner), then the other Owner leaves: they stay pending until the close.
		if c > 0 {
			let member = funded::<T>("member", 0);
			MetaAccountsPallet::<T>::invite_authenticator(
				signed::<T>(&owner),
				lookup::<T>(&member),
				Role::Owner,
			)
			.expect("invite");
			MetaAccountsPallet::<T>::accept_invitation(signed::<T>(&member), id).expect("accept");
			for _ in 0..c {
				let acting =
					MetaAccountsPallet::<T>::acting(signed::<T>(&owner)).expect("an Owner");
				MetaAccountsPallet::<T>::propose(
					acting,
					Change::SetRole(AuthenticatorKey::Substrate(owner.clone()), Role::Signer),
				)
				.expect("propose");
			}
			MetaAccountsPallet::<T>::remove_authenticator(
				signed::<T>(&member),
				AuthenticatorKey::Substrate(member.clone()),
			)
			.expect("leave");
		}
		assert_eq!(MetaAccounts::<T>::get(id).expect("exists").pending_changes, c);
		for n in 0..i {
			let who = funded::<T>("invitee", n);
			MetaAccountsPallet::<T>::invite_authenticator(
				signed::<T>(&owner),
				lookup::<T>(&who),
				Role::Owner,
			)
			.expect("invite");
		}
		let beneficiary = funded::<T>("beneficiary", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), lookup::<T>(&beneficiary));
		assert!(!MetaAccounts::<T>::contains_key(id));
	}

	#[benchmark]
	fn add_passkey() {
		let owner = funded::<T>("owner", 0);
		let (id, _, _) = meta_account::<T>(&owner, T::MaxAuthenticators::get() - 2, 0);
		let mut device = passkey(1);
		let new = registration::<T>(&mut device, existing::<T>(id), Role::Signer);
		#[extrinsic_call]
		add_authenticator(RawOrigin::Signed(owner), new, Role::Signer);
		assert_eq!(AuthenticatorOf::<T>::get(passkey_key::<T>(&device)), Some(id));
	}

	#[benchmark]
	fn add_evm_wallet() {
		let owner = funded::<T>("owner", 0);
		let (id, _, _) = meta_account::<T>(&owner, T::MaxAuthenticators::get() - 2, 0);
		let wallet = EvmWallet::new(1);
		let new = wallet_consent::<T>(&wallet, existing::<T>(id), Role::Signer);
		#[extrinsic_call]
		add_authenticator(RawOrigin::Signed(owner), new, Role::Signer);
		assert_eq!(
			AuthenticatorOf::<T>::get(AuthenticatorKey::Evm(wallet.address().into())),
			Some(id)
		);
	}

	#[benchmark]
	fn create_with_passkey() {
		let mut device = passkey(2);
		let key = passkey_key::<T>(&device);
		let id = MetaAccountsPallet::<T>::next_meta_account_id(&key);
		T::Currency::set_balance(&MetaAccountsPallet::<T>::sovereign_account(&id), rich::<T>());
		let new = registration::<T>(
			&mut device,
			PossessionTarget::NewMetaAccount { creation_nonce: 0 },
			Role::Owner,
		);
		#[extrinsic_call]
		create_with_authenticator(RawOrigin::None, new, FeePayer::MetaAccount);
		assert_eq!(AuthenticatorOf::<T>::get(key), Some(id));
	}

	#[benchmark]
	fn create_with_evm_wallet() {
		let wallet = EvmWallet::new(2);
		let key: AuthenticatorKeyOf<T> = AuthenticatorKey::Evm(wallet.address().into());
		let id = MetaAccountsPallet::<T>::next_meta_account_id(&key);
		T::Currency::set_balance(&MetaAccountsPallet::<T>::sovereign_account(&id), rich::<T>());
		let new = wallet_consent::<T>(
			&wallet,
			PossessionTarget::NewMetaAccount { creation_nonce: 0 },
			Role::Owner,
		);
		#[extrinsic_call]
		create_with_authenticator(RawOrigin::None, new, FeePayer::MetaAccount);
		assert_eq!(AuthenticatorOf::<T>::get(key), Some(id));
	}

	/// An envelope verified by a passkey assertion (one P-256 verification).
	#[benchmark]
	fn dispatch_envelope_passkey() {
		let mut device = passkey(3);
		let new = registration::<T>(
			&mut device,
			PossessionTarget::NewMetaAccount { creation_nonce: 0 },
			Role::Owner,
		);
		let id = unsigned_meta_account::<T>(new);
		let envelope = envelope::<T>(id, passkey_key::<T>(&device));
		let digest = MetaAccountsPallet::<T>::envelope_digest(&envelope);
		let proof = EnvelopeProof::Passkey(assertion::<T>(&mut device, &digest));
		#[extrinsic_call]
		dispatch_envelope(RawOrigin::None, envelope, proof);
		assert_eq!(MetaAccounts::<T>::get(id).expect("exists").nonce, 1);
	}

	/// An envelope verified by an EVM wallet's EIP-191 signature (one secp256k1 recovery).
	#[benchmark]
	fn dispatch_envelope_evm() {
		let wallet = EvmWallet::new(3);
		let new = wallet_consent::<T>(
			&wallet,
			PossessionTarget::NewMetaAccount { creation_nonce: 0 },
			Role::Owner,
		);
		let id = unsigned_meta_account::<T>(new);
		let envelope = envelope::<T>(id, AuthenticatorKey::Evm(wallet.address().into()));
		let digest = MetaAccountsPallet::<T>::envelope_digest(&envelope);
		let text = MetaAccountsPallet::<T>::envelope_text(&envelope, &digest);
		let proof = EnvelopeProof::Evm(EvmSignature::PersonalSign(wallet.personal_sign(&text)));
		#[extrinsic_call]
		dispatch_envelope(RawOrigin::None, envelope, proof);
		assert_eq!(MetaAccounts::<T>::get(id).expect("exists").nonce, 1);
	}

	/// One passkey assertion verified, alone (clientDataJSON, authenticator data, one P-256
	/// verification in wasm): the part of the passkey benchmarks above that cryptography costs.
	#[benchmark]
	fn verify_passkey_assertion() {
		let mut device = passkey(4);
		let public_key =
			waas_primitives::webauthn::PasskeyPublicKey::from_sec1(&device.public_key())
				.expect("a valid key");
		let challenge = [7u8; 32];
		let a = assertion::<T>(&mut device, &challenge);
		let verified;
		#[block]
		{
			verified = waas_primitives::webauthn::verify_assertion(
				&public_key,
				&waas_primitives::webauthn::Assertion {
					authenticator_data: &a.authenticator_data,
					client_data_json: &a.client_data_json,
					signature: &a.signature,
				},
				&challenge,
				&MetaAccountsPallet::<T>::passkey_policy(),
			);
		}
		assert!(verified.is_ok());
	}

	#[benchmark]
	fn set_sponsorship() {
		let sponsor = funded::<T>("sponsor", 0);
		let id = MetaAccountId::repeat_byte(7);
		#[extrinsic_call]
		_(RawOrigin::Signed(sponsor.clone()), id, rich::<T>());
		assert!(Sponsorships::<T>::contains_key(&sponsor, id));
	}

	impl_benchmark_test_suite!(MetaAccountsPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
