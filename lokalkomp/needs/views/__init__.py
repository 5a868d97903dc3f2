"""The needs report's pages: reading (reports), writing (writing, coediting), submitting, uploading."""
