import type { SavedViewDto, SavedViewFiltersDto } from "../../../shared/contracts/http/views";
import { apiRequest, getJson, patchJson, postJson } from "./http";

/** The signed-in agent's saved queue views. */
export async function listViews(signal?: AbortSignal): Promise<SavedViewDto[]> {
  const { views } = await getJson<{ views: SavedViewDto[] }>("/api/views", { signal });
  return views;
}

export async function createView(
  name: string,
  filters: SavedViewFiltersDto,
): Promise<SavedViewDto> {
  const { view } = await postJson<{ view: SavedViewDto }>("/api/views", { name, filters });
  return view;
}

export async function renameView(id: string, name: string): Promise<SavedViewDto> {
  const { view } = await patchJson<{ view: SavedViewDto }>(`/api/views/${encodeURIComponent(id)}`, {
    name,
  });
  return view;
}

export async function deleteView(id: string): Promise<void> {
  await apiRequest<void>("DELETE", `/api/views/${encodeURIComponent(id)}`);
}
