package io.github.chainrule.nn.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON of a safetensors header, shared by {@link TensorWriter} and {@link HeaderReader} so that what
 * one writes the other reads back. Reading is strict (duplicate keys are an error) and limited by the
 * header's own size only, so a long metadata string is legal.
 */
final class HeaderJson {
    /** The reserved header key whose value holds the file's metadata (string to string). */
    static final String METADATA = "__metadata__";

    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // the header's own limit bounds every string in it: a long metadata value is legal
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength((int) SafeTensors.MAX_HEADER_BYTES)
                            .maxNameLength((int) SafeTensors.MAX_HEADER_BYTES)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private HeaderJson() {
    }
}
