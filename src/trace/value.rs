//! Encoding a model state or action as a trace value (JSON shaped so ITF can carry it).
//!
//! `serde_json::to_value` cannot encode a map whose keys are not strings (a model keeps maps
//! keyed by (message, recipient) pairs), and it would turn such keys into strings anyway, which
//! ITF readers would take for record fields. This serializer writes:
//! - structs as JSON objects (ITF records), sequences, tuples and arrays as JSON lists;
//! - maps with string keys as objects, any other map as `{"#map": [[key, value], ...]}` (ITF);
//! - unit enum variants as their name, other variants as `{"tag": name, "value": v}` and
//!   `Option` as `{"tag": "None"|"Some", ...}` (the Quint/ITF sum-type shape; ITF has no null);
//! - unit as `{"#tup": []}`, integers as JSON numbers (the ITF renderer makes them `#bigint`).

use serde::ser::{self, Serialize};
use serde_json::{Map, Value};

/// Why a value could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError(String);

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

impl ser::Error for ValueError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ValueError(msg.to_string())
    }
}

/// Encodes any serde value (a model state or action) as a trace value.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, ValueError> {
    value.serialize(ValueSerializer)
}

/// The ITF empty tuple, used for unit and for the payload of `None`.
fn unit() -> Value {
    let mut m = Map::new();
    m.insert("#tup".to_string(), Value::Array(Vec::new()));
    Value::Object(m)
}

/// A Quint/ITF sum-type value: `{"tag": name, "value": v}`.
fn tagged(tag: &str, value: Value) -> Value {
    let mut m = Map::new();
    m.insert("tag".to_string(), Value::String(tag.to_string()));
    m.insert("value".to_string(), value);
    Value::Object(m)
}

/// An integer that does not fit in 64 bits is kept exactly, as a decimal string.
fn wide_int(text: String, fits: Option<Value>) -> Value {
    fits.unwrap_or(Value::String(text))
}

struct ValueSerializer;

/// Collects list elements (sequences, tuples, tuple structs, tuple variants).
struct ListBuilder {
    items: Vec<Value>,
    variant: Option<&'static str>,
}

/// Collects map entries; decides object vs `#map` at the end, when all keys are known.
struct MapBuilder {
    entries: Vec<(Value, Value)>,
    pending_key: Option<Value>,
}

/// Collects struct fields (structs and struct variants).
struct RecordBuilder {
    fields: Map<String, Value>,
    variant: Option<&'static str>,
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = ValueError;
    type SerializeSeq = ListBuilder;
    type SerializeTuple = ListBuilder;
    type SerializeTupleStruct = ListBuilder;
    type SerializeTupleVariant = ListBuilder;
    type SerializeMap = MapBuilder;
    type SerializeStruct = RecordBuilder;
    type SerializeStructVariant = RecordBuilder;

    fn serialize_bool(self, v: bool) -> Result<Value, ValueError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, ValueError> {
        Ok(wide_int(
            v.to_string(),
            i64::try_from(v).ok().map(Value::from),
        ))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, ValueError> {
        Ok(wide_int(
            v.to_string(),
            u64::try_from(v).ok().map(Value::from),
        ))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, ValueError> {
        Ok(Value::from(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ValueError> {
        Ok(Value::from(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, ValueError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, ValueError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, ValueError> {
        Ok(Value::Array(v.iter().map(|b| Value::from(*b)).collect()))
    }
    fn serialize_none(self) -> Result<Value, ValueError> {
        Ok(tagged("None", unit()))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, ValueError> {
        Ok(tagged("Some", value.serialize(ValueSerializer)?))
    }
    fn serialize_unit(self) -> Result<Value, ValueError> {
        Ok(unit())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, ValueError> {
        Ok(unit())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, ValueError> {
        Ok(Value::String(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, ValueError> {
        value.serialize(ValueSerializer)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, ValueError> {
        Ok(tagged(variant, value.serialize(ValueSerializer)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<ListBuilder, ValueError> {
        Ok(ListBuilder::new(len, None))
    }
    fn serialize_tuple(self, len: usize) -> Result<ListBuilder, ValueError> {
        Ok(ListBuilder::new(Some(len), None))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<ListBuilder, ValueError> {
        Ok(ListBuilder::new(Some(len), None))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<ListBuilder, ValueError> {
        Ok(ListBuilder::new(Some(len), Some(variant)))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapBuilder, ValueError> {
        Ok(MapBuilder {
            entries: Vec::new(),
            pending_key: None,
        })
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<RecordBuilder, ValueError> {
        Ok(RecordBuilder {
            fields: Map::new(),
            variant: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<RecordBuilder, ValueError> {
        Ok(RecordBuilder {
            fields: Map::new(),
            variant: Some(variant),
        })
    }
}

/// The largest capacity a size hint may reserve up front; the rest grows as elements arrive.
const LIST_PREALLOCATED_ITEMS_MAX: usize = 1024;

impl ListBuilder {
    fn new(len: Option<usize>, variant: Option<&'static str>) -> Self {
        let capacity = len.unwrap_or(0).min(LIST_PREALLOCATED_ITEMS_MAX);
        ListBuilder {
            items: Vec::with_capacity(capacity),
            variant,
        }
    }
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        self.items.push(value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn finish(self) -> Value {
        let list = Value::Array(self.items);
        match self.variant {
            Some(tag) => tagged(tag, list),
            None => list,
        }
    }
}

/// The four serde sequence-like traits, all collecting into a [`ListBuilder`].
macro_rules! list_builder_impl {
    ($($serde_trait:ident :: $method:ident),* $(,)?) => {$(
        impl ser::$serde_trait for ListBuilder {
            type Ok = Value;
            type Error = ValueError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
                self.push(value)
            }
            fn end(self) -> Result<Value, ValueError> {
                Ok(self.finish())
            }
        }
    )*};
}

list_builder_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

impl ser::SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ValueError> {
        self.pending_key = Some(key.serialize(ValueSerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        let key = self
            .pending_key
            .take()
            .ok_or_else(|| ValueError("map value without a key".to_string()))?;
        self.entries.push((key, value.serialize(ValueSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        let all_string_keys =
            !self.entries.is_empty() && self.entries.iter().all(|(k, _)| k.is_string());
        if all_string_keys {
            let mut object = Map::new();
            for (k, v) in self.entries {
                if let Value::String(k) = k {
                    object.insert(k, v);
                }
            }
            return Ok(Value::Object(object));
        }
        let pairs = self
            .entries
            .into_iter()
            .map(|(k, v)| Value::Array(vec![k, v]))
            .collect();
        let mut m = Map::new();
        m.insert("#map".to_string(), Value::Array(pairs));
        Ok(Value::Object(m))
    }
}

impl ser::SerializeStruct for RecordBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ValueError> {
        self.fields
            .insert(key.to_string(), value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::Object(self.fields))
    }
}

impl ser::SerializeStructVariant for RecordBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ValueError> {
        self.fields
            .insert(key.to_string(), value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        let record = Value::Object(self.fields);
        Ok(match self.variant {
            Some(tag) => tagged(tag, record),
            None => record,
        })
    }
}
