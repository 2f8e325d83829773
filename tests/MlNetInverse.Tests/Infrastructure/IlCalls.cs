using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace MlNetInverse.Tests.Infrastructure;

/// <summary>
/// The calls in each method body of an assembly, read from its IL (call, callvirt, newobj, ldftn), with keys spelled
/// "Namespace.Type+Nested::name(parameter types)" so a reference and its definition in another assembly match.
/// </summary>
internal static class IlCalls
{
    internal sealed record Call(string Key, string DeclaringType, string ReturnType, bool IsConstruction);

    internal sealed record Method(string Key, IReadOnlyList<Call> Calls);

    public static IEnumerable<Method> Methods(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var names = new TypeNames(metadata);
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            string type = names.Of(typeHandle);
            foreach (var methodHandle in metadata.GetTypeDefinition(typeHandle).GetMethods())
            {
                var definition = metadata.GetMethodDefinition(methodHandle);
                var key = Key(type, metadata.GetString(definition.Name), definition.DecodeSignature(names, null));
                var calls = new List<Call>();
                if (definition.RelativeVirtualAddress != 0)
                {
                    var il = pe.GetMethodBody(definition.RelativeVirtualAddress).GetILReader();
                    while (il.RemainingBytes > 0)
                    {
                        var opCode = ReadOpCode(ref il);
                        int token = SkipOperand(opCode, ref il);
                        if (token != 0 && Resolve(metadata, names, MetadataTokens.EntityHandle(token), opCode == ILOpCode.Newobj) is { } call)
                            calls.Add(call);
                    }
                }
                yield return new Method(key, calls);
            }
        }
    }

    /// <summary>Each TorchSharp type and the key of the forward(Tensor) it runs (its own or its nearest base's).</summary>
    public static IEnumerable<(string Type, string Forward)> ForwardOfEachType(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var names = new TypeNames(metadata);
        var result = new List<(string, string)>();
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            for (var current = typeHandle; !current.IsNil;)
            {
                var definition = metadata.GetTypeDefinition(current);
                var forwards = definition.GetMethods().Select(metadata.GetMethodDefinition)
                    .Where(m => metadata.GetString(m.Name) == "forward" && m.GetParameters().Count == 1).ToList();
                if (forwards.Count > 0)
                {
                    result.Add((names.Of(typeHandle), Key(names.Of(current), "forward", forwards[0].DecodeSignature(names, null))));
                    break;
                }
                current = definition.BaseType.Kind == HandleKind.TypeDefinition ? (TypeDefinitionHandle)definition.BaseType : default;
            }
        }
        return result;
    }

    private static string Key(string type, string name, MethodSignature<string> signature) =>
        $"{type}::{name}({string.Join(",", signature.ParameterTypes)})";

    private static Call? Resolve(MetadataReader metadata, TypeNames names, EntityHandle handle, bool construction)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
            {
                var method = metadata.GetMethodDefinition((MethodDefinitionHandle)handle);
                var signature = method.DecodeSignature(names, null);
                string type = names.Of(method.GetDeclaringType());
                return new Call(Key(type, metadata.GetString(method.Name), signature), type, signature.ReturnType, construction);
            }
            case HandleKind.MemberReference:
            {
                var reference = metadata.GetMemberReference((MemberReferenceHandle)handle);
                if (reference.GetKind() != MemberReferenceKind.Method) return null;
                string type = reference.Parent.Kind switch
                {
                    HandleKind.TypeReference => names.Of((TypeReferenceHandle)reference.Parent),
                    HandleKind.TypeDefinition => names.Of((TypeDefinitionHandle)reference.Parent),
                    HandleKind.TypeSpecification => metadata.GetTypeSpecification((TypeSpecificationHandle)reference.Parent).DecodeSignature(names, null),
                    _ => "?",
                };
                int generic = type.IndexOf('<');
                if (generic > 0) type = type[..generic];
                var signature = reference.DecodeMethodSignature(names, null);
                return new Call(Key(type, metadata.GetString(reference.Name), signature), type, signature.ReturnType, construction);
            }
            case HandleKind.MethodSpecification:
                return Resolve(metadata, names, metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method, construction);
            default:
                return null;
        }
    }

    private static ILOpCode ReadOpCode(ref BlobReader il)
    {
        byte first = il.ReadByte();
        return first == 0xFE ? (ILOpCode)(0xFE00 | il.ReadByte()) : (ILOpCode)first;
    }

    /// <summary>Skips <paramref name="opCode"/>'s operand; returns the method token of a call, newobj or ldftn, else 0.</summary>
    private static int SkipOperand(ILOpCode opCode, ref BlobReader il)
    {
        switch (opCode)
        {
            case ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldftn or ILOpCode.Ldvirtftn:
                return il.ReadInt32();
            case ILOpCode.Switch:
                int targets = il.ReadInt32();
                il.Offset += 4 * targets;
                return 0;
        }
        il.Offset += OperandSize(opCode);
        return 0;
    }

    private static int OperandSize(ILOpCode opCode) => opCode switch
    {
        ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s or ILOpCode.Stloc_s
            or ILOpCode.Ldc_i4_s or ILOpCode.Br_s or ILOpCode.Brfalse_s or ILOpCode.Brtrue_s or ILOpCode.Beq_s or ILOpCode.Bge_s
            or ILOpCode.Bgt_s or ILOpCode.Ble_s or ILOpCode.Blt_s or ILOpCode.Bne_un_s or ILOpCode.Bge_un_s or ILOpCode.Bgt_un_s
            or ILOpCode.Ble_un_s or ILOpCode.Blt_un_s or ILOpCode.Leave_s or ILOpCode.Unaligned => 1,
        ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc => 2,
        ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8 => 8,
        ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 or ILOpCode.Br or ILOpCode.Brfalse or ILOpCode.Brtrue or ILOpCode.Beq or ILOpCode.Bge
            or ILOpCode.Bgt or ILOpCode.Ble or ILOpCode.Blt or ILOpCode.Bne_un or ILOpCode.Bge_un or ILOpCode.Bgt_un or ILOpCode.Ble_un
            or ILOpCode.Blt_un or ILOpCode.Leave or ILOpCode.Jmp or ILOpCode.Calli or ILOpCode.Ldstr or ILOpCode.Ldtoken
            or ILOpCode.Ldfld or ILOpCode.Ldflda or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld
            or ILOpCode.Box or ILOpCode.Unbox or ILOpCode.Unbox_any or ILOpCode.Castclass or ILOpCode.Isinst or ILOpCode.Newarr
            or ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Ldobj or ILOpCode.Stobj or ILOpCode.Cpobj
            or ILOpCode.Initobj or ILOpCode.Sizeof or ILOpCode.Mkrefany or ILOpCode.Refanyval or ILOpCode.Constrained => 4,
        _ => 0,
    };

    /// <summary>Type names as the keys spell them ("Namespace.Outer+Inner"), from definitions, references and signatures.</summary>
    private sealed class TypeNames(MetadataReader metadata) : ISignatureTypeProvider<string, object?>
    {
        public string Of(TypeDefinitionHandle handle)
        {
            var type = metadata.GetTypeDefinition(handle);
            var outer = type.GetDeclaringType();
            string name = metadata.GetString(type.Name);
            if (!outer.IsNil) return Of(outer) + "+" + name;
            string space = metadata.GetString(type.Namespace);
            return space.Length == 0 ? name : space + "." + name;
        }

        public string Of(TypeReferenceHandle handle)
        {
            var type = metadata.GetTypeReference(handle);
            string name = metadata.GetString(type.Name);
            if (type.ResolutionScope.Kind == HandleKind.TypeReference) return Of((TypeReferenceHandle)type.ResolutionScope) + "+" + name;
            string space = metadata.GetString(type.Namespace);
            return space.Length == 0 ? name : space + "." + name;
        }

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "method*";
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";
        public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? context, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Of(handle);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Of(handle);
        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);
    }
}
