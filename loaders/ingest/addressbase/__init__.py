"""AddressBase Premium and Plus: file layouts, readers, the model build and change-only updates."""
