namespace TraceQuery.Model;

/// <summary>One module's set of functions, encoded by <see cref="FunctionIdSet.Encode"/>.</summary>
/// <param name="ModuleId">The module (the high 32 bits of each function id).</param>
/// <param name="Encoding">The encoding the encoder picked (the smaller of the two).</param>
/// <param name="Count">Functions in the set.</param>
/// <param name="Base64">The encoded bytes in standard base64; <see cref="FunctionIdSet.DecodeFunctionIds"/> reads them back.</param>
public sealed record EncodedFunctionIdSet(uint ModuleId, FunctionIdSetEncoding Encoding, int Count, string Base64);
