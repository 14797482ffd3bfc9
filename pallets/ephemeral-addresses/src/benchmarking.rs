//! Benchmarks of the ephemeral-addresses pallet, each at its worst case. They run against the
//! runtime's real threshold signer, so `sign_with_address` and `cancel_request` include its
//! work (derivation, deposits, fees, queueing).

use super::*;
use crate::pallet::Pallet as EphemeralAddresses;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};

/// A balance far above any deposit or fee a benchmark holds: 10^9 existential deposits.
fn rich<T: Config>() -> BalanceOf<T>
where
	T::Currency: Mutate<T::AccountId>,
{
	use frame_support::traits::fungible::Inspect;
	sp_runtime::Saturating::saturating_mul(T::Currency::minimum_balance(), 1_000_000_000u32.into())
}

/// A Meta-Account origin whose authenticator is funded: `(origin, meta_account, who)`.
fn authenticator<T: Config>() -> (T::RuntimeOrigin, MetaAccountId, T::AccountId)
where
	T::Currency: Mutate<T::AccountId>,
{
	let origin = T::MetaAccountOrigin::try_successful_origin().expect("a Meta-Account origin");
	let (meta_account, who) =
		T::MetaAccountOrigin::try_origin(origin.clone()).ok().expect("it resolves");
	T::Currency::set_balance(&who, rich::<T>());
	(origin, meta_account, who)
}

/// Provisions an address of `origin`'s Meta-Account under `key`; returns its index.
fn address<T: Config>(origin: &T::RuntimeOrigin, key: KeyId, one_time: bool) -> AddressIndex {
	let (meta_account, _) = T::MetaAccountOrigin::try_origin(origin.clone()).ok().expect("origin");
	EphemeralAddresses::<T>::provision_address(
		origin.clone(),
		key,
		BoundedVec::truncate_from(b"eip155:1".to_vec()),
		one_time,
	)
	.expect("provision");
	NextAddressIndex::<T>::get(meta_account) - 1
}

fn payload<T: Config>(len: u32) -> BoundedVec<u8, MaxPayloadOf<T>> {
	BoundedVec::truncate_from(alloc::vec![7u8; len as usize])
}

fn last_request<T: Config>(meta_account: &MetaAccountId) -> RequestId {
	InFlight::<T>::iter_prefix(meta_account).map(|(r, _)| r).max().expect("a request")
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	/// Claiming the path prefix (first address), a depth-5 derivation and an EIP-55 encoding.
	#[benchmark]
	fn provision_address() {
		let key = T::ThresholdSigner::benchmark_active_key();
		let (origin, meta_account, _) = authenticator::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, key, BoundedVec::truncate_from(b"eip155:1".to_vec()), true);
		assert!(Addresses::<T>::contains_key(meta_account, 0));
	}

	/// A request with a `p`-byte payload through the threshold signer.
	#[benchmark]
	fn sign_with_address(p: Linear<1, { MaxPayloadOf::<T>::get() }>) {
		let key = T::ThresholdSigner::benchmark_active_key();
		let (origin, meta_account, _) = authenticator::<T>();
		let index = address::<T>(&origin, key, true);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, index, payload::<T>(p));
		assert_eq!(InFlightCount::<T>::get(meta_account), 1);
	}

	#[benchmark]
	fn cancel_request() {
		let key = T::ThresholdSigner::benchmark_active_key();
		let (origin, meta_account, _) = authenticator::<T>();
		let index = address::<T>(&origin, key, true);
		EphemeralAddresses::<T>::sign_with_address(origin.clone(), index, payload::<T>(32))
			.expect("request");
		let request = last_request::<T>(&meta_account);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, request);
		assert_eq!(InFlightCount::<T>::get(meta_account), 0);
	}

	/// Revoking an address with `r` requests in flight.
	#[benchmark]
	fn revoke_address(r: Linear<0, { T::MaxInFlightPerMetaAccount::get() }>) {
		let key = T::ThresholdSigner::benchmark_active_key();
		let (origin, meta_account, _) = authenticator::<T>();
		let index = address::<T>(&origin, key, false);
		for _ in 0..r {
			EphemeralAddresses::<T>::sign_with_address(origin.clone(), index, payload::<T>(32))
				.expect("request");
		}
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, index);
		assert!(!Addresses::<T>::contains_key(meta_account, index));
	}

	#[benchmark]
	fn take_over_deposit() {
		let key = T::ThresholdSigner::benchmark_active_key();
		let (origin, meta_account, _) = authenticator::<T>();
		let index = address::<T>(&origin, key, false);
		// The payer left: make the record point at an account that authenticates for nothing.
		let gone: T::AccountId = account("gone", 0, 0);
		Addresses::<T>::mutate(meta_account, index, |info| {
			if let Some(info) = info {
				info.deposit_payer = gone.clone();
				info.deposit = Default::default();
			}
		});
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, index);
		assert_ne!(Addresses::<T>::get(meta_account, index).expect("address").deposit_payer, gone);
	}

	/// The outcome callback for a signed one-time address: it becomes Used.
	#[benchmark]
	fn on_signature_outcome() {
		let key = T::ThresholdSigner::benchmark_active_key();
		let (origin, meta_account, _) = authenticator::<T>();
		let index = address::<T>(&origin, key, true);
		EphemeralAddresses::<T>::sign_with_address(origin, index, payload::<T>(32))
			.expect("request");
		let request = last_request::<T>(&meta_account);
		let owner = RequestOwner::meta_account_address(meta_account, index);
		#[block]
		{
			<EphemeralAddresses<T> as OnSignatureOutcome>::on_outcome(
				request,
				&owner,
				SignatureOutcome::Signed,
			);
		}
		assert_eq!(
			Addresses::<T>::get(meta_account, index).expect("address").status,
			AddressStatus::Used
		);
	}

	#[benchmark]
	fn ensure_can_close() {
		let (_, meta_account, _) = authenticator::<T>();
		#[block]
		{
			<EphemeralAddresses<T> as MetaAccountDependents>::ensure_can_close(&meta_account)
				.expect("no addresses");
		}
	}

	impl_benchmark_test_suite!(EphemeralAddresses, crate::mock::new_test_ext(), crate::mock::Test);
}
