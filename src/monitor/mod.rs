//! Runtime monitors for the property catalogue. (to be written)
