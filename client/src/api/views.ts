import type { SavedViewDto, SavedViewFiltersDto } from "../../../shared/contracts/http/views";
import { callApi } from "./http";

/** The signed-in agent's saved queue views. */
export async function listViews(signal?: AbortSignal): Promise<SavedViewDto[]> {
  const { views } = await callApi("GET /views", { signal });
  return views;
}

export async function createView(
  name: string,
  filters: SavedViewFiltersDto,
): Promise<SavedViewDto> {
  const { view } = await callApi("POST /views", { body: { name, filters } });
  return view;
}

export async function renameView(id: string, name: string): Promise<SavedViewDto> {
  const { view } = await callApi("PATCH /views/:id", { params: { id }, body: { name } });
  return view;
}

export async function deleteView(id: string): Promise<void> {
  await callApi("DELETE /views/:id", { params: { id } });
}
