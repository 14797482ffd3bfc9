//! # Threshold-signers pallet
//!
//! The on-chain coordinator of the signer committee. Signer nodes hold CGGMP21 key shares
//! off-chain; this pallet tells them what to do and accepts only results it can check.
//!
//! - **Registry**: [`register_signer`](Pallet::register_signer) admits a signer (account, p2p
//!   identity key, network address) through [`Config::AdminOrigin`].
//! - **Committees**: [`create_committee`](Pallet::create_committee) groups `n` signers with a
//!   threshold `t` (2 ≤ t ≤ n). Member `i` is party `i` in keygen.
//! - **Keys**: [`request_keygen`](Pallet::request_keygen) starts a DKG; each member
//!   [`report_keygen`](Pallet::report_keygen)s the public key and BIP32 chain code it got. When
//!   all `n` agree the key is `Active`; when they disagree, or the deadline passes first, it is
//!   `Failed` and the event names the offenders.
//! - **Signatures**: a signature is requested by another pallet through
//!   [`ThresholdSigner::request_signature`], or by [`Config::SignatureRequestOrigin`] with
//!   [`request_signature`](Pallet::request_signature) — never by an arbitrary account, so only
//!   the owner of a derivation path can have it signed. The runtime derives the child public
//!   key, hashes the payload, picks `t` members deterministically and emits
//!   [`Event::SignatureRequested`] with a deadline. An assigned member
//!   [`submit_signature`](Pallet::submit_signature)s; it is accepted only if it is low-s and
//!   recovers (secp256k1 host function) to the derived key. An attempt that passes its deadline
//!   is re-assigned to the next subset; after [`Config::MaxSigningAttempts`] the request fails.
//!   Every request ends in exactly one terminal state, `Signed` or `Failed`.
//!
//! Requests made through the trait hold [`Config::SignatureRequestDeposit`] from the
//! requester; [`clear_request`](Pallet::clear_request) removes an ended request and releases it.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::fungible};
use waas_primitives::{ChainCode, CompressedPublicKey, HashScheme};

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Signature services offered to other pallets.
pub trait ThresholdSigner<AccountId> {
	/// The public key and chain code of an `Active` key.
	fn active_key(key: KeyId) -> Result<(CompressedPublicKey, ChainCode), DispatchError>;
	/// Ask the committee of `key` to sign `payload` (hashed with `scheme`) on `path`. Holds the
	/// request deposit from `requester`. Returns the request id.
	fn request_signature(
		requester: &AccountId,
		key: KeyId,
		path: &[u32],
		payload: &[u8],
		scheme: HashScheme,
	) -> Result<RequestId, DispatchError>;
	/// Weight of [`Self::request_signature`] for a path of `depth` and `payload_len` bytes.
	fn request_signature_weight(depth: u32, payload_len: u32) -> Weight;
}

/// Told when a signature request ends, so the requesting pallet can update its own state.
pub trait OnSignatureOutcome {
	/// The request got a valid signature.
	fn on_signed(request: RequestId);
	/// The request failed for good.
	fn on_failed(request: RequestId);
}

impl OnSignatureOutcome for () {
	fn on_signed(_: RequestId) {}
	fn on_failed(_: RequestId) {}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::traits::{fungible::MutateHold, tokens::Precision};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{Saturating, Zero};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Currency for request deposits.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Who admits signers, forms committees and starts key generation.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// A privileged origin that may request signatures directly (no deposit).
		type SignatureRequestOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Told when a request ends.
		type OnSignatureOutcome: OnSignatureOutcome;
		/// Deposit held per signature request made through [`ThresholdSigner`].
		#[pallet::constant]
		type SignatureRequestDeposit: Get<BalanceOf<Self>>;
		/// Maximum committee size `n`.
		#[pallet::constant]
		type MaxCommitteeSize: Get<u32>;
		/// Maximum length of a signer's network address.
		#[pallet::constant]
		type MaxAddressLen: Get<u32>;
		/// Maximum payload length in bytes.
		#[pallet::constant]
		type MaxPayloadLen: Get<u32>;
		/// Maximum derivation depth.
		#[pallet::constant]
		type MaxPathDepth: Get<u32>;
		/// Blocks the members have to report a keygen.
		#[pallet::constant]
		type KeygenTimeout: Get<BlockNumberFor<Self>>;
		/// Blocks the assigned signers have for one signing attempt.
		#[pallet::constant]
		type SigningTimeout: Get<BlockNumberFor<Self>>;
		/// Attempts (the first included) before a request fails.
		#[pallet::constant]
		type MaxSigningAttempts: Get<u8>;
		/// Maximum deadlines that end in one block.
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;
		/// Weights of calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for a stored signature request.
		SignatureRequest,
	}

	/// Registered signers.
	#[pallet::storage]
	pub type Signers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, SignerInfo<T>, OptionQuery>;

	/// Committees by id.
	#[pallet::storage]
	pub type Committees<T: Config> =
		StorageMap<_, Twox64Concat, CommitteeId, Committee<T>, OptionQuery>;

	/// The next committee id.
	#[pallet::storage]
	pub type NextCommitteeId<T> = StorageValue<_, CommitteeId, ValueQuery>;

	/// Committee keys by id.
	#[pallet::storage]
	pub type Keys<T: Config> = StorageMap<_, Twox64Concat, KeyId, KeyInfo<T>, OptionQuery>;

	/// The next key id.
	#[pallet::storage]
	pub type NextKeyId<T> = StorageValue<_, KeyId, ValueQuery>;

	/// Reports of a keygen under way: (public key, chain code) by member.
	#[pallet::storage]
	pub type KeygenReports<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		KeyId,
		Blake2_128Concat,
		T::AccountId,
		(CompressedPublicKey, ChainCode),
		OptionQuery,
	>;

	/// Signature requests by id, kept until their requester clears them.
	#[pallet::storage]
	pub type SignatureRequests<T: Config> =
		StorageMap<_, Twox64Concat, RequestId, SignatureRequest<T>, OptionQuery>;

	/// The next request id.
	#[pallet::storage]
	pub type NextRequestId<T> = StorageValue<_, RequestId, ValueQuery>;

	/// What ends at each block.
	#[pallet::storage]
	pub type Deadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<Deadline, T::MaxDeadlinesPerBlock>,
		ValueQuery,
	>;

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A signer was admitted.
		SignerRegistered { signer: T::AccountId, p2p_key: P2pPublicKey },
		/// A signer was removed.
		SignerDeregistered { signer: T::AccountId },
		/// A committee was formed; `members[i]` is party `i`.
		CommitteeCreated {
			committee: CommitteeId,
			members: BoundedVec<T::AccountId, T::MaxCommitteeSize>,
			threshold: u16,
		},
		/// Members of `committee` must run a DKG for `key` and report by `deadline`.
		KeygenRequested {
			key: KeyId,
			committee: CommitteeId,
			threshold: u16,
			members: BoundedVec<T::AccountId, T::MaxCommitteeSize>,
			deadline: BlockNumberFor<T>,
		},
		/// A member reported its keygen result.
		KeygenReported { key: KeyId, member: T::AccountId },
		/// All members agreed: the key is usable.
		KeyActivated { key: KeyId, public_key: CompressedPublicKey, chain_code: ChainCode },
		/// The keygen failed; `offenders` disagreed or did not report.
		KeygenFailed {
			key: KeyId,
			reason: KeygenFailure,
			offenders: BoundedVec<T::AccountId, T::MaxCommitteeSize>,
		},
		/// `signers` (member indices `signer_indices`) must sign request `request` by `deadline`.
		SignatureRequested {
			request: RequestId,
			key: KeyId,
			attempt: u8,
			signers: BoundedVec<T::AccountId, T::MaxCommitteeSize>,
			signer_indices: BoundedVec<MemberIndex, T::MaxCommitteeSize>,
			deadline: BlockNumberFor<T>,
		},
		/// An attempt passed its deadline without a valid signature.
		SigningAttemptExpired { request: RequestId, attempt: u8 },
		/// A valid signature was accepted: the request is `Signed`.
		SignatureProduced {
			request: RequestId,
			signature: EcdsaSignature,
			recovery_id: u8,
			submitted_by: T::AccountId,
		},
		/// The request is `Failed`.
		SignatureFailed { request: RequestId, reason: SigningFailure },
		/// An ended request was removed and its deposit released.
		RequestCleared { request: RequestId },
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a registered signer.
		SignerAlreadyRegistered,
		/// The account is not a registered signer.
		UnknownSigner,
		/// The signer still belongs to a committee.
		SignerInCommittee,
		/// The network address is empty or not UTF-8.
		InvalidAddress,
		/// The p2p identity key is all zeros.
		InvalidP2pKey,
		/// A committee lists the same signer twice.
		DuplicateMember,
		/// The threshold must satisfy 2 ≤ t ≤ n.
		InvalidThreshold,
		/// No committee with this id.
		UnknownCommittee,
		/// No key with this id.
		UnknownKey,
		/// The key is not waiting for keygen reports.
		KeyNotGenerating,
		/// The key is not Active.
		KeyNotActive,
		/// The caller is not a member of the key's committee.
		NotCommitteeMember,
		/// This member already reported for this key.
		AlreadyReported,
		/// The reported public key is not a valid compressed secp256k1 point.
		InvalidPublicKey,
		/// The derivation path is longer than allowed.
		PathTooDeep,
		/// The derivation path has a hardened index (≥ 2^31).
		HardenedIndex,
		/// BIP32 derivation produced an invalid child (probability ~2^-127; try another path).
		DerivationFailed,
		/// The payload is empty.
		EmptyPayload,
		/// The payload is longer than allowed.
		PayloadTooLarge,
		/// No request with this id.
		UnknownRequest,
		/// The request has already ended.
		RequestNotPending,
		/// The request has not ended yet.
		RequestNotFinished,
		/// The caller is not the requester.
		NotRequester,
		/// The caller is not one of the signers assigned to the current attempt.
		NotAssignedSigner,
		/// The signature is not canonical (r or s out of range, or high s).
		NonCanonicalSignature,
		/// The recovery id must be 0..=3.
		InvalidRecoveryId,
		/// The signature does not verify against the derived public key.
		InvalidSignature,
		/// Too many deadlines fall in the next blocks; try again later.
		DeadlineQueueFull,
		/// An id counter overflowed.
		IdOverflow,
		/// The deposit could not be held: free balance too low.
		InsufficientBalanceForDeposit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::KeygenTimeout::get().is_zero(), "KeygenTimeout must be > 0");
			assert!(!T::SigningTimeout::get().is_zero(), "SigningTimeout must be > 0");
			assert!(T::MaxSigningAttempts::get() > 0, "MaxSigningAttempts must be > 0");
			assert!(T::MaxDeadlinesPerBlock::get() > 0, "MaxDeadlinesPerBlock must be > 0");
			assert!(
				(2..=u16::MAX as u32).contains(&T::MaxCommitteeSize::get()),
				"MaxCommitteeSize must be in 2..=65535"
			);
			assert!(
				T::MaxPathDepth::get() <= waas_primitives::MAX_DERIVATION_DEPTH,
				"MaxPathDepth must not exceed MAX_DERIVATION_DEPTH"
			);
		}

		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let due = Deadlines::<T>::take(now);
			let count = due.len() as u32;
			for deadline in due {
				match deadline {
					Deadline::Keygen(key) => Self::expire_keygen(key),
					Deadline::Signature(request, attempt) => {
						Self::expire_signing_attempt(request, attempt, now)
					},
				}
			}
			T::WeightInfo::on_initialize(count)
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Admit `signer` with its p2p identity key and network address.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_signer())]
		pub fn register_signer(
			origin: OriginFor<T>,
			signer: T::AccountId,
			p2p_key: P2pPublicKey,
			address: BoundedVec<u8, T::MaxAddressLen>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(!Signers::<T>::contains_key(&signer), Error::<T>::SignerAlreadyRegistered);
			ensure!(p2p_key != [0u8; 32], Error::<T>::InvalidP2pKey);
			ensure!(
				!address.is_empty() && core::str::from_utf8(&address).is_ok(),
				Error::<T>::InvalidAddress
			);
			Signers::<T>::insert(&signer, SignerInfo { p2p_key, address, committees: 0 });
			Self::deposit_event(Event::SignerRegistered { signer, p2p_key });
			Ok(())
		}

		/// Remove a signer that belongs to no committee.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::deregister_signer())]
		pub fn deregister_signer(origin: OriginFor<T>, signer: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let info = Signers::<T>::get(&signer).ok_or(Error::<T>::UnknownSigner)?;
			ensure!(info.committees == 0, Error::<T>::SignerInCommittee);
			Signers::<T>::remove(&signer);
			Self::deposit_event(Event::SignerDeregistered { signer });
			Ok(())
		}

		/// Form a committee of registered signers; `members[i]` becomes keygen party `i`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::create_committee(members.len() as u32))]
		pub fn create_committee(
			origin: OriginFor<T>,
			members: BoundedVec<T::AccountId, T::MaxCommitteeSize>,
			threshold: u16,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let n = members.len();
			ensure!(threshold >= 2 && (threshold as usize) <= n, Error::<T>::InvalidThreshold);
			for (i, member) in members.iter().enumerate() {
				ensure!(!members[..i].contains(member), Error::<T>::DuplicateMember);
				ensure!(Signers::<T>::contains_key(member), Error::<T>::UnknownSigner);
			}
			let id = NextCommitteeId::<T>::get();
			NextCommitteeId::<T>::put(id.checked_add(1).ok_or(Error::<T>::IdOverflow)?);
			for member in members.iter() {
				Signers::<T>::mutate(member, |info| {
					if let Some(info) = info {
						info.committees = info.committees.saturating_add(1);
					}
				});
			}
			Committees::<T>::insert(id, Committee { members: members.clone(), threshold });
			Self::deposit_event(Event::CommitteeCreated { committee: id, members, threshold });
			Ok(())
		}

		/// Start a DKG in `committee`. Members report until the deadline.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::request_keygen())]
		pub fn request_keygen(origin: OriginFor<T>, committee: CommitteeId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let c = Committees::<T>::get(committee).ok_or(Error::<T>::UnknownCommittee)?;
			let key = NextKeyId::<T>::get();
			let next = key.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
			let now = frame_system::Pallet::<T>::block_number();
			let deadline =
				Self::schedule(now.saturating_add(T::KeygenTimeout::get()), Deadline::Keygen(key))?;
			NextKeyId::<T>::put(next);
			Keys::<T>::insert(
				key,
				KeyInfo {
					committee,
					status: KeyStatus::Generating { deadline },
					public_key: None,
					chain_code: None,
					requested_at: now,
				},
			);
			Self::deposit_event(Event::KeygenRequested {
				key,
				committee,
				threshold: c.threshold,
				members: c.members,
				deadline,
			});
			Ok(())
		}

		/// Report the public key and chain code this member got from the DKG of `key`.
		/// Free for the member when accepted.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::report_keygen(T::MaxCommitteeSize::get()))]
		pub fn report_keygen(
			origin: OriginFor<T>,
			key: KeyId,
			public_key: CompressedPublicKey,
			chain_code: ChainCode,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let info = Keys::<T>::get(key).ok_or(Error::<T>::UnknownKey)?;
			ensure!(
				matches!(info.status, KeyStatus::Generating { .. }),
				Error::<T>::KeyNotGenerating
			);
			let committee =
				Committees::<T>::get(info.committee).ok_or(Error::<T>::UnknownCommittee)?;
			ensure!(committee.members.contains(&who), Error::<T>::NotCommitteeMember);
			ensure!(!KeygenReports::<T>::contains_key(key, &who), Error::<T>::AlreadyReported);
			ensure!(
				waas_primitives::derivation::is_valid_public_key(&public_key),
				Error::<T>::InvalidPublicKey
			);
			KeygenReports::<T>::insert(key, &who, (public_key, chain_code));
			Self::deposit_event(Event::KeygenReported { key, member: who });

			let reports: Vec<_> =
				committee.members.iter().map(|m| KeygenReports::<T>::get(key, m)).collect();
			if reports.iter().all(Option::is_some) {
				Self::conclude_keygen(key, &committee, &reports);
			}
			Ok(Pays::No.into())
		}

		/// Request a signature directly: only for [`Config::SignatureRequestOrigin`].
		/// Accounts request through a pallet that owns the path (e.g. ephemeral addresses).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::request_signature(path.len() as u32, payload.len() as u32))]
		pub fn request_signature(
			origin: OriginFor<T>,
			key: KeyId,
			path: BoundedVec<u32, T::MaxPathDepth>,
			payload: BoundedVec<u8, T::MaxPayloadLen>,
			scheme: HashScheme,
		) -> DispatchResult {
			T::SignatureRequestOrigin::ensure_origin(origin)?;
			Self::do_request_signature(None, key, &path, &payload, scheme)?;
			Ok(())
		}

		/// Submit the signature for `request` (an assigned signer of the current attempt).
		/// Accepted only if canonical and if it recovers to the derived public key. Free for
		/// the signer when accepted.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::submit_signature())]
		pub fn submit_signature(
			origin: OriginFor<T>,
			request: RequestId,
			signature: EcdsaSignature,
			recovery_id: u8,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut req = SignatureRequests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
			let RequestStatus::Pending { signers, .. } = &req.status else {
				return Err(Error::<T>::RequestNotPending.into());
			};
			let info = Keys::<T>::get(req.key).ok_or(Error::<T>::UnknownKey)?;
			let committee =
				Committees::<T>::get(info.committee).ok_or(Error::<T>::UnknownCommittee)?;
			let assigned = signers.iter().any(|i| committee.members.get(*i as usize) == Some(&who));
			ensure!(assigned, Error::<T>::NotAssignedSigner);
			ensure!(recovery_id <= 3, Error::<T>::InvalidRecoveryId);
			ensure!(
				waas_primitives::signature::is_canonical(&signature),
				Error::<T>::NonCanonicalSignature
			);
			let mut sig65 = [0u8; 65];
			sig65[..64].copy_from_slice(&signature);
			sig65[64] = recovery_id;
			let recovered =
				sp_io::crypto::secp256k1_ecdsa_recover_compressed(&sig65, &req.message_hash)
					.map_err(|_| Error::<T>::InvalidSignature)?;
			ensure!(recovered == req.public_key, Error::<T>::InvalidSignature);

			req.status = RequestStatus::Signed {
				signature,
				recovery_id,
				submitted_by: who.clone(),
				at: frame_system::Pallet::<T>::block_number(),
			};
			SignatureRequests::<T>::insert(request, req);
			Self::deposit_event(Event::SignatureProduced {
				request,
				signature,
				recovery_id,
				submitted_by: who,
			});
			T::OnSignatureOutcome::on_signed(request);
			Ok(Pays::No.into())
		}

		/// Remove an ended request and release its deposit: by its requester, or by
		/// [`Config::SignatureRequestOrigin`] for requests it made.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::clear_request())]
		pub fn clear_request(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let req = SignatureRequests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
			match &req.requester {
				Some(requester) => {
					let who = ensure_signed(origin)?;
					ensure!(&who == requester, Error::<T>::NotRequester);
				},
				None => {
					T::SignatureRequestOrigin::ensure_origin(origin)?;
				},
			}
			ensure!(req.status.is_terminal(), Error::<T>::RequestNotFinished);
			if let Some(requester) = &req.requester {
				if !req.deposit.is_zero() {
					T::Currency::release(
						&HoldReason::SignatureRequest.into(),
						requester,
						req.deposit,
						Precision::BestEffort,
					)?;
				}
			}
			SignatureRequests::<T>::remove(request);
			Self::deposit_event(Event::RequestCleared { request });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Puts `what` in the deadline queue at `at`, or at the first later block with room
		/// (at most 16 blocks later). Returns the block used.
		fn schedule(
			at: BlockNumberFor<T>,
			what: Deadline,
		) -> Result<BlockNumberFor<T>, DispatchError> {
			let mut block = at;
			for _ in 0..16 {
				let pushed = Deadlines::<T>::mutate(block, |queue| queue.try_push(what).is_ok());
				if pushed {
					return Ok(block);
				}
				block = block.saturating_add(1u32.into());
			}
			Err(Error::<T>::DeadlineQueueFull.into())
		}

		/// Decide a keygen once every member reported.
		fn conclude_keygen(
			key: KeyId,
			committee: &Committee<T>,
			reports: &[Option<(CompressedPublicKey, ChainCode)>],
		) {
			// The value reported most often (ties: the first member's).
			let values: Vec<_> = reports.iter().flatten().collect();
			let mut best = values.first().copied();
			let mut best_count = 0usize;
			for candidate in values.iter() {
				let count = values.iter().filter(|v| *v == candidate).count();
				if count > best_count {
					best = Some(*candidate);
					best_count = count;
				}
			}
			let offenders: Vec<T::AccountId> = committee
				.members
				.iter()
				.zip(reports.iter())
				.filter(|(_, r)| r.as_ref() != best)
				.map(|(m, _)| m.clone())
				.collect();
			let _ = KeygenReports::<T>::clear_prefix(key, committee.members.len() as u32, None);
			Keys::<T>::mutate(key, |maybe| {
				let Some(info) = maybe else { return };
				match (offenders.is_empty(), best) {
					(true, Some((public_key, chain_code))) => {
						info.status = KeyStatus::Active;
						info.public_key = Some(*public_key);
						info.chain_code = Some(*chain_code);
						Self::deposit_event(Event::KeyActivated {
							key,
							public_key: *public_key,
							chain_code: *chain_code,
						});
					},
					_ => {
						let offenders = BoundedVec::truncate_from(offenders);
						info.status = KeyStatus::Failed {
							reason: KeygenFailure::Disagreement,
							offenders: offenders.clone(),
						};
						Self::deposit_event(Event::KeygenFailed {
							key,
							reason: KeygenFailure::Disagreement,
							offenders,
						});
					},
				}
			});
		}

		/// The keygen deadline passed: fail it if it is still generating.
		fn expire_keygen(key: KeyId) {
			let Some(info) = Keys::<T>::get(key) else { return };
			if !matches!(info.status, KeyStatus::Generating { .. }) {
				return;
			}
			let members = Committees::<T>::get(info.committee)
				.map(|c| c.members.into_inner())
				.unwrap_or_default();
			let missing: Vec<T::AccountId> = members
				.iter()
				.filter(|m| !KeygenReports::<T>::contains_key(key, *m))
				.cloned()
				.collect();
			let _ = KeygenReports::<T>::clear_prefix(key, members.len() as u32, None);
			let offenders = BoundedVec::truncate_from(missing);
			Keys::<T>::mutate(key, |maybe| {
				if let Some(info) = maybe {
					info.status = KeyStatus::Failed {
						reason: KeygenFailure::Timeout,
						offenders: offenders.clone(),
					};
				}
			});
			Self::deposit_event(Event::KeygenFailed {
				key,
				reason: KeygenFailure::Timeout,
				offenders,
			});
		}

		/// A signing attempt's deadline passed: re-assign or fail the request.
		fn expire_signing_attempt(request: RequestId, attempt: u8, now: BlockNumberFor<T>) {
			let Some(mut req) = SignatureRequests::<T>::get(request) else { return };
			match &req.status {
				RequestStatus::Pending { attempt: current, .. } if *current == attempt => {},
				_ => return,
			}
			Self::deposit_event(Event::SigningAttemptExpired { request, attempt });
			let next_attempt = attempt.saturating_add(1);
			let committee =
				Keys::<T>::get(req.key).and_then(|info| Committees::<T>::get(info.committee));
			let reassigned = match committee {
				Some(committee) if next_attempt < T::MaxSigningAttempts::get() => {
					Self::assign(request, req.key, next_attempt, &committee, now)
						.ok()
						.map(|status| {
							req.status = status;
						})
						.is_some()
				},
				_ => false,
			};
			if !reassigned {
				req.status =
					RequestStatus::Failed { reason: SigningFailure::AttemptsExhausted, at: now };
				Self::deposit_event(Event::SignatureFailed {
					request,
					reason: SigningFailure::AttemptsExhausted,
				});
				T::OnSignatureOutcome::on_failed(request);
			}
			SignatureRequests::<T>::insert(request, req);
		}

		/// The member indices (ascending) that sign `request` in `attempt`: `t` consecutive
		/// members (wrapping) starting at an offset fixed by the request id, moved by one per
		/// attempt, so each retry goes to a different subset when `t < n`.
		pub fn select_signers(request: RequestId, attempt: u8, n: u32, t: u16) -> Vec<MemberIndex> {
			if n == 0 {
				return Vec::new();
			}
			let seed = sp_io::hashing::blake2_256(&(b"waas/signers", request).encode());
			let mut first = [0u8; 8];
			first.copy_from_slice(&seed[..8]);
			let offset = u64::from_le_bytes(first).wrapping_add(attempt as u64) % n as u64;
			let mut chosen: Vec<MemberIndex> =
				(0..t as u64).map(|i| ((offset + i) % n as u64) as MemberIndex).collect();
			chosen.sort_unstable();
			chosen
		}

		/// Assigns an attempt, schedules its deadline and emits the event.
		fn assign(
			request: RequestId,
			key: KeyId,
			attempt: u8,
			committee: &Committee<T>,
			now: BlockNumberFor<T>,
		) -> Result<RequestStatus<T>, DispatchError> {
			let indices = Self::select_signers(
				request,
				attempt,
				committee.members.len() as u32,
				committee.threshold,
			);
			let deadline = Self::schedule(
				now.saturating_add(T::SigningTimeout::get()),
				Deadline::Signature(request, attempt),
			)?;
			let signers: Vec<T::AccountId> = indices
				.iter()
				.filter_map(|i| committee.members.get(*i as usize).cloned())
				.collect();
			let signer_indices = BoundedVec::truncate_from(indices);
			Self::deposit_event(Event::SignatureRequested {
				request,
				key,
				attempt,
				signers: BoundedVec::truncate_from(signers),
				signer_indices: signer_indices.clone(),
				deadline,
			});
			Ok(RequestStatus::Pending { attempt, signers: signer_indices, deadline })
		}

		/// Validates, derives, hashes, stores and assigns a new request.
		pub(crate) fn do_request_signature(
			requester: Option<&T::AccountId>,
			key: KeyId,
			path: &[u32],
			payload: &[u8],
			scheme: HashScheme,
		) -> Result<RequestId, DispatchError> {
			ensure!(!payload.is_empty(), Error::<T>::EmptyPayload);
			let payload: BoundedVec<u8, T::MaxPayloadLen> =
				payload.to_vec().try_into().map_err(|_| Error::<T>::PayloadTooLarge)?;
			let path: BoundedVec<u32, T::MaxPathDepth> =
				path.to_vec().try_into().map_err(|_| Error::<T>::PathTooDeep)?;
			let (public_key, chain_code) = Self::active_key_of(key)?;
			let committee = Keys::<T>::get(key)
				.and_then(|info| Committees::<T>::get(info.committee))
				.ok_or(Error::<T>::UnknownCommittee)?;
			let (derived, _) = waas_primitives::derive_public_key(&public_key, &chain_code, &path)
				.map_err(Self::derivation_error)?;
			let message_hash = scheme.hash(&payload);

			let request = NextRequestId::<T>::get();
			NextRequestId::<T>::put(request.checked_add(1).ok_or(Error::<T>::IdOverflow)?);
			let deposit = match requester {
				Some(who) => {
					let amount = T::SignatureRequestDeposit::get();
					T::Currency::hold(&HoldReason::SignatureRequest.into(), who, amount)
						.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;
					amount
				},
				None => Zero::zero(),
			};
			let now = frame_system::Pallet::<T>::block_number();
			let status = Self::assign(request, key, 0, &committee, now)?;
			SignatureRequests::<T>::insert(
				request,
				SignatureRequest {
					key,
					path,
					payload,
					scheme,
					message_hash,
					public_key: derived,
					requester: requester.cloned(),
					deposit,
					requested_at: now,
					status,
				},
			);
			Ok(request)
		}

		/// Public key and chain code of an Active key.
		pub fn active_key_of(
			key: KeyId,
		) -> Result<(CompressedPublicKey, ChainCode), DispatchError> {
			let info = Keys::<T>::get(key).ok_or(Error::<T>::UnknownKey)?;
			match (&info.status, info.public_key, info.chain_code) {
				(KeyStatus::Active, Some(pk), Some(cc)) => Ok((pk, cc)),
				_ => Err(Error::<T>::KeyNotActive.into()),
			}
		}

		/// Maps a derivation error to the pallet's error.
		pub fn derivation_error(e: waas_primitives::DerivationError) -> DispatchError {
			use waas_primitives::DerivationError as D;
			match e {
				D::HardenedIndex => Error::<T>::HardenedIndex,
				D::PathTooDeep => Error::<T>::PathTooDeep,
				D::InvalidPublicKey => Error::<T>::InvalidPublicKey,
				D::InvalidChild => Error::<T>::DerivationFailed,
			}
			.into()
		}
	}
}

impl<T: Config> ThresholdSigner<T::AccountId> for Pallet<T> {
	fn active_key(key: KeyId) -> Result<(CompressedPublicKey, ChainCode), DispatchError> {
		Self::active_key_of(key)
	}

	fn request_signature(
		requester: &T::AccountId,
		key: KeyId,
		path: &[u32],
		payload: &[u8],
		scheme: HashScheme,
	) -> Result<RequestId, DispatchError> {
		// All or nothing, also when the caller is not itself transactional.
		frame_support::storage::with_storage_layer(|| {
			Self::do_request_signature(Some(requester), key, path, payload, scheme)
		})
	}

	fn request_signature_weight(depth: u32, payload_len: u32) -> Weight {
		T::WeightInfo::request_signature(depth, payload_len)
	}
}
