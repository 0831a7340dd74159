//! The domain's ids as columns: stored as the UUID they wrap, on either backend. Written here
//! rather than derived on the types, so that the rules know nothing of SQL.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};
use uuid::Uuid;

use crate::domain::account::UserId;
use crate::domain::fursona::FursonaId;

macro_rules! uuid_column {
    ($($id:ident),+) => {$(
        impl<DB: Database> Type<DB> for $id
        where
            Uuid: Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <Uuid as Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <Uuid as Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: Database> Encode<'q, DB> for $id
        where
            Uuid: Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                self.0.encode_by_ref(buf)
            }
        }

        impl<'r, DB: Database> Decode<'r, DB> for $id
        where
            Uuid: Decode<'r, DB>,
        {
            fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                Uuid::decode(value).map($id)
            }
        }
    )+};
}

uuid_column!(UserId, FursonaId);
